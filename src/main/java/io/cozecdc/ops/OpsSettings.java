package io.cozecdc.ops;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Metrics and health settings ({@code cdc.ops.*}). */
@ConfigMapping(prefix = "cdc.ops")
public interface OpsSettings {

    /**
     * How often the database-backed gauges (pending changes, oldest pending age, failures, config
     * status, documents processing) are re-read. Scrapes read the cached figures and never query the
     * database. Default 5 s.
     */
    @WithDefault("5s")
    Duration metricsRefresh();

    /**
     * Liveness fails when changes are pending and the poller has not finished a poll for this long.
     * A poll that fails fast (database down) still counts as finished: restarting does not help then,
     * and readiness reports the database. Keep it above {@code cdc.poll.lease}, the longest a batch
     * may take. Default 5 min.
     */
    @WithDefault("5m")
    Duration pollerStuckAfter();
}
