package io.cozecdc.sync;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The sync pipeline's settings ({@code cdc.*}). */
@ConfigMapping(prefix = "cdc")
public interface SyncSettings {

    Poll poll();

    Configs configs();

    Processing processing();

    Cleanup janitor();

    /** {@code cdc.poll.*}: claiming changes. */
    interface Poll {
        /** Run the poller. Default true. */
        @WithDefault("true")
        boolean enabled();

        /** Change-log rows claimed per batch. Default 100, as the original. */
        @WithDefault("100")
        int batchSize();

        /**
         * Time between claims when the previous batch was not full (counted from that claim, not from
         * the end of its processing). A full batch is followed at once by the next. Default 200 ms:
         * the latency floor, without hammering an idle database.
         */
        @WithDefault("200ms")
        Duration interval();

        /**
         * How long claimed rows stay with this replica. Rows of a replica that died come back after
         * this. Must exceed the time a batch can take (Coze timeouts included). Default 2 min.
         */
        @WithDefault("2m")
        Duration lease();

        /**
         * Batches processed at once: the Coze calls of one overlap the database work of the next (all
         * share coze.max-concurrency), and a new change is claimed while earlier batches are still in
         * flight. 1 processes one batch after the other. Default 2.
         */
        @WithDefault("2")
        int parallelBatches();

        /** Sync configurations handled in parallel within one batch. Default 4. */
        @WithDefault("4")
        int configConcurrency();
    }

    /** {@code cdc.configs.*}: the in-memory registry of sync configurations. */
    interface Configs {
        /** How often each replica re-reads sync_configs to see other replicas' edits. Default 2 s. */
        @WithDefault("2s")
        Duration refreshInterval();

        /** How often a configuration in ERROR is probed against Coze. Default 30 s. */
        @WithDefault("30s")
        Duration probeInterval();
    }

    /** {@code cdc.processing.*}: following documents until Coze has processed them. */
    interface Processing {
        /** How often processing progress is read. Default 1 s. */
        @WithDefault("1s")
        Duration pollInterval();

        /** A document still processing after this counts as failed and is uploaded again. Default 10 min. */
        @WithDefault("10m")
        Duration timeout();
    }

    /** {@code cdc.janitor.*}: deleting documents that are no longer wanted. */
    interface Cleanup {
        /** How often pending deletions are retried. Default 2 s. */
        @WithDefault("2s")
        Duration interval();
    }
}
