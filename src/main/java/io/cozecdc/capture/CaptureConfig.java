package io.cozecdc.capture;

import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the capture triggers ({@code cdc.capture.*}). */
@ConfigMapping(prefix = "cdc.capture")
public interface CaptureConfig {

    /**
     * Tables whose triggers are installed at startup if missing (comma-separated). Empty by default:
     * in production, tables are captured when a sync configuration needs them or through the API.
     * Dev mode and tests capture the sample tables.
     */
    Optional<List<String>> tables();

    /**
     * Re-install triggers at startup when a captured table's columns changed (drift), so a new
     * column reaches change_data without manual SQL. Default true; set false if a DBA owns the
     * triggers, and drift is then only reported.
     */
    @WithDefault("true")
    boolean reinstallOnDrift();
}
