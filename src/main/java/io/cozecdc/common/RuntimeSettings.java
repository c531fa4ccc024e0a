package io.cozecdc.common;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of this replica as a whole ({@code cdc.instance-id}, {@code cdc.start-paused}, {@code cdc.log-language}). */
@ConfigMapping(prefix = "cdc")
public interface RuntimeSettings {

    /** Name this replica stamps on the rows it claims. Default: the host name (the pod name on Kubernetes). */
    Optional<String> instanceId();

    /**
     * Start with the background jobs paused (nothing is claimed or sent until resumed). Default false;
     * the test suite starts paused and resumes the jobs only in the tests that need them.
     */
    @WithDefault("false")
    boolean startPaused();

    /** Language of the per-batch log lines: en or zh. Default en. */
    @WithDefault("en")
    String logLanguage();
}
