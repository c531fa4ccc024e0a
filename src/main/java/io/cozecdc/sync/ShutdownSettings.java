package io.cozecdc.sync;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code cdc.shutdown.*}: stopping on SIGTERM (a pod deletion, a rolling update). */
@ConfigMapping(prefix = "cdc.shutdown")
public interface ShutdownSettings {

    /**
     * How long a stopping replica lets running batches finish before it gives their claimed changes back
     * to the other replicas. Keep it below the pod's terminationGracePeriodSeconds (30 s by default)
     * minus a few seconds. Default 20 s.
     */
    @WithDefault("20s")
    Duration drainTimeout();
}
