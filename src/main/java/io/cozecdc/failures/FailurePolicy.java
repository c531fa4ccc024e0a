package io.cozecdc.failures;

import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.cozecdc.changelog.Change;

/**
 * The rules of the failure queue, in one place: what a failed change does to its record's open
 * failure. It counts the attempt (or not), picks the next attempt with the {@link Backoff}, and says
 * RETRYING or DEAD. The commit asks it and writes what it answers; nothing else decides these.
 */
@ApplicationScoped
public class FailurePolicy {

    /** How a failure counts. */
    public enum Kind {
        /** An ordinary failed attempt: counts, and after {@code cdc.retry.max-attempts} the change is DEAD. */
        ATTEMPT,
        /** The request is wrong and will stay wrong: DEAD at once. */
        PERMANENT,
        /** Held while its configuration is in ERROR: never counts, due again at once. */
        HELD,
        /** The knowledge base asked to slow down: never counts, due after the backoff its attempts so far give. */
        THROTTLED
    }

    private final Backoff backoff;

    public FailurePolicy(Backoff backoff) {
        this.backoff = backoff;
    }

    /**
     * The record's open failure after {@code change} failed, or empty when {@code open} holds a newer
     * change of the record: an older failure never takes a newer one's place (batches in flight at
     * once, or a retry racing the poller, fail out of order).
     */
    public Optional<FailureRecord> failed(long configId, Change change, Kind kind, Integer code, String message, String logid,
            FailureRecord open, Instant now) {
        if (open != null && open.logId() > change.logId()) {
            return Optional.empty();
        }
        boolean counts = kind == Kind.ATTEMPT || kind == Kind.PERMANENT;
        int previous = open != null && open.logId() == change.logId() ? open.attempts() : 0;
        int attempts = counts ? previous + 1 : previous;
        boolean dead = kind == Kind.PERMANENT || (kind == Kind.ATTEMPT && backoff.exhausted(attempts));
        Instant next = dead ? null : kind == Kind.HELD ? now : backoff.next(now, Math.max(1, attempts));
        return Optional.of(new FailureRecord(0, configId, change.logId(), change.table(), change.recordKey(),
                change.operation().name(), change.data(), code, message, logid, attempts, next,
                dead ? FailureStatus.DEAD : FailureStatus.RETRYING, change.capturedAt(), open != null ? open.createdAt() : now,
                now));
    }
}
