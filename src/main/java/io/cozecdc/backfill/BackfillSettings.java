package io.cozecdc.backfill;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Backfill (resync) settings ({@code cdc.backfill.*}). */
@ConfigMapping(prefix = "cdc.backfill")
public interface BackfillSettings {

    /** Rows copied into the change log per step. Default 500. */
    @WithDefault("500")
    int chunkSize();

    /**
     * A step waits while this many of the job's snapshot rows are still pending, so a backfill never
     * floods the change log ahead of the pipeline. Default 2000.
     */
    @WithDefault("2000")
    int maxPending();

    /** How often running backfills take a step. Default 1 s. */
    @WithDefault("1s")
    Duration interval();
}
