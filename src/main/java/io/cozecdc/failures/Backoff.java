package io.cozecdc.failures;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.enterprise.context.ApplicationScoped;

/** Exponential backoff with jitter, capped: when to try a failed record again. */
@ApplicationScoped
public class Backoff {

    private final RetrySettings config;

    public Backoff(RetrySettings config) {
        this.config = config;
    }

    /**
     * The next attempt after {@code attempts} failed ones: initial × 2^(attempts-1), capped, then
     * scaled by a random factor in [0.5, 1] so records that failed together do not retry together.
     */
    public Instant next(Instant now, int attempts) {
        return now.plus(delay(attempts, ThreadLocalRandom.current().nextDouble()));
    }

    Duration delay(int attempts, double random) {
        double raw = config.initialBackoff().toMillis() * Math.pow(2, Math.max(0, attempts - 1));
        double capped = Math.min(config.maxBackoff().toMillis(), raw);
        return Duration.ofMillis((long) (capped * (0.5 + 0.5 * random)));
    }

    /** True when a record that failed {@code attempts} times should now be DEAD. */
    public boolean exhausted(int attempts) {
        return attempts >= config.maxAttempts();
    }
}
