package io.cozecdc.fanout;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Fan-out of related-row changes to the documents that render them ({@code cdc.fanout.*}, issue 16). */
@ConfigMapping(prefix = "cdc.fanout")
public interface FanoutSettings {

    /** Parent keys copied into the change log per step of a fan-out (one transaction). Default 500. */
    @WithDefault("500")
    int chunkSize();

    /**
     * A fan-out waits while this many SNAPSHOT rows of its configuration are still pending, so a supplier
     * with a million products never floods the change log ahead of the pipeline. Default 5000.
     */
    @WithDefault("5000")
    int maxPending();

    /** How often the fan-out worker looks for work. Default 1 s. */
    @WithDefault("1s")
    Duration interval();

    /** Fan-outs one round of the worker takes (each runs until done or held back by max-pending). Default 20. */
    @WithDefault("20")
    int jobsPerRound();

    /** How long a worker holds a fan-out; renewed by every chunk it copies. Default 1 min. */
    @WithDefault("1m")
    Duration lease();
}
