package io.cozecdc.demo;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The dev-mode demo ({@code cdc.demo.*}). */
@ConfigMapping(prefix = "cdc.demo")
public interface DemoSettings {

    /**
     * On a first start with no sync configuration, create a demo configuration for the sample
     * products table and a few sample rows. On in dev mode, off elsewhere.
     */
    @WithDefault("false")
    boolean enabled();

    /** Dataset id the demo configuration points at (the dry-run sink accepts any). */
    @WithDefault("7000000000000000001")
    String datasetId();
}
