package io.cozecdc.ops;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code cdc.reconcile.*}: removing documents left by a crash between create and commit. */
@ConfigMapping(prefix = "cdc.reconcile")
public interface ReconcileSettings {
    /** Run the reconciliation job. Default true. */
    @WithDefault("true")
    boolean enabled();

    /** How often each managed dataset is listed. Default 10 min. */
    @WithDefault("10m")
    Duration interval();

    /**
     * A document of ours that no mapping points to is deleted only when it is older than this,
     * so a create still being committed is never touched. Default 5 min.
     */
    @WithDefault("5m")
    Duration grace();
}
