package io.cozecdc.capture;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the capture triggers ({@code cdc.capture.*}). */
@ConfigMapping(prefix = "cdc.capture")
public interface CaptureSettings {

    /**
     * Tables whose triggers are installed at startup if missing (comma-separated). Empty by default:
     * in production, tables are captured when a sync configuration needs them or through the API.
     * Dev mode and tests capture the sample tables.
     */
    Optional<List<String>> tables();

    /**
     * Re-install triggers when a captured table's columns changed (drift) or a trigger is missing, at
     * startup and on every drift check, so a new column reaches change_data without manual SQL and a
     * dropped column stops breaking the table's writes. Default true; set false if a DBA owns the
     * triggers, and drift is then only reported (logs, readiness, GET /api/v1/tables).
     */
    @WithDefault("true")
    boolean reinstallOnDrift();

    /**
     * How often captured tables are checked for drift while the service runs. After a column is dropped,
     * writes to the table fail until the triggers are regenerated, so keep it short. Default 10 s.
     */
    @WithDefault("10s")
    Duration driftCheckInterval();
}
