package io.cozecdc.coze;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.cozecdc.sink.SinkHealth;

/**
 * What the service knows about Coze right now, from the outcome of every call: when it last
 * answered, and whether it looks down (many retryable failures in a row, nothing succeeding).
 * While Coze looks down the poller stops claiming changes, so the backlog waits in the change log
 * (where metrics and alerts see it) instead of turning every change into a retry.
 */
@ApplicationScoped
public class CozeHealth implements SinkHealth {

    /** Consecutive retryable failures after which Coze counts as down. */
    static final int DOWN_AFTER = 5;
    private static final Duration FIRST_PROBE = Duration.ofSeconds(1);
    private final Duration maxProbe;

    private final Clock clock;
    private int consecutiveFailures;
    private Instant lastAnswer;
    private Instant lastFailure;
    private Instant probeAt = Instant.EPOCH;
    private Duration probeDelay = FIRST_PROBE;
    private String lastError;
    private String authRefusal;

    public CozeHealth(Clock clock, CozeSettings settings) {
        this.clock = clock;
        this.maxProbe = settings.downProbeMax().compareTo(FIRST_PROBE) < 0 ? FIRST_PROBE : settings.downProbeMax();
    }

    /** A call got a well-formed answer (success or a business error): Coze is up. */
    public synchronized void answered() {
        authRefusal = null;
        consecutiveFailures = 0;
        probeDelay = FIRST_PROBE;
        lastAnswer = clock.instant();
    }

    /**
     * Coze answered but refused the token (4100/4101): every configuration is affected until someone
     * fixes the token. Cleared by the next call Coze accepts.
     */
    public synchronized void refused(String error) {
        consecutiveFailures = 0;
        probeDelay = FIRST_PROBE;
        lastAnswer = clock.instant();
        lastError = error;
        authRefusal = error;
    }

    /** Why Coze refused the token on the last answer, or null when it accepted it. */
    @Override
    public synchronized String authRefusal() {
        return authRefusal;
    }

    /** A call failed in a way that says nothing about the record (I/O, timeout, 429/5xx, 5000 …). */
    public synchronized void failed(String error) {
        consecutiveFailures++;
        lastFailure = clock.instant();
        lastError = error;
        if (consecutiveFailures >= DOWN_AFTER) {
            probeAt = lastFailure.plus(probeDelay);
            probeDelay = probeDelay.multipliedBy(2).compareTo(maxProbe) > 0 ? maxProbe : probeDelay.multipliedBy(2);
        }
    }

    /** True while Coze looks down and it is not yet time to try again. */
    @Override
    public synchronized boolean holdBack() {
        return consecutiveFailures >= DOWN_AFTER && clock.instant().isBefore(probeAt);
    }

    @Override
    public synchronized boolean looksDown() {
        return consecutiveFailures >= DOWN_AFTER;
    }

    @Override
    public synchronized Instant lastAnswer() {
        return lastAnswer;
    }

    @Override
    public synchronized String lastError() {
        return lastError;
    }

    @Override
    public synchronized int consecutiveFailures() {
        return consecutiveFailures;
    }
}
