package io.cozecdc.failures;

import java.time.Duration;

/** Retry settings for plain unit tests: backoff from 2 s doubling up to 1 min, {@code maxAttempts} attempts. */
record TestRetrySettings(int maxAttempts) implements RetrySettings {

    @Override
    public Duration initialBackoff() {
        return Duration.ofSeconds(2);
    }

    @Override
    public Duration maxBackoff() {
        return Duration.ofMinutes(1);
    }

    @Override
    public Duration interval() {
        return Duration.ofSeconds(1);
    }

    @Override
    public int batchSize() {
        return 100;
    }
}
