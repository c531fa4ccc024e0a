package io.cozecdc.changelog;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Housekeeping of processed change-log rows ({@code cdc.cleanup.*}). */
@ConfigMapping(prefix = "cdc.cleanup")
public interface CleanupSettings {

    /** Run the service's own cleanup on {@link #cron()}. Default true. */
    @WithDefault("true")
    boolean enabled();

    /**
     * Quartz-style cron for the service's cleanup (seconds first). Default 03:30 every day, after the
     * database event's 02:00 run; set "off" to disable the schedule but keep the API.
     */
    @WithDefault("0 30 3 * * ?")
    String cron();

    /** Processed rows older than this are deleted. Default 7 days, as the original. */
    @WithDefault("P7D")
    Duration retention();

    /** Rows deleted per statement, so no statement holds locks for long. Default 1000. */
    @WithDefault("1000")
    int chunkSize();
}
