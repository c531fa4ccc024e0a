package io.cozecdc.failures;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Retries of failed records ({@code cdc.retry.*}). */
@ConfigMapping(prefix = "cdc.retry")
public interface RetrySettings {

    /** Attempts per change before it becomes a DEAD letter. Default 10. */
    @WithDefault("10")
    int maxAttempts();

    /** Wait before the second attempt; doubles after each failure (with jitter). Default 2 s. */
    @WithDefault("2s")
    Duration initialBackoff();

    /** Longest wait between attempts. Default 10 min. */
    @WithDefault("10m")
    Duration maxBackoff();

    /** How often due retries are picked up. Default 1 s. */
    @WithDefault("1s")
    Duration interval();

    /** Failures replayed per run of the retry worker. Default 100. */
    @WithDefault("100")
    int batchSize();
}
