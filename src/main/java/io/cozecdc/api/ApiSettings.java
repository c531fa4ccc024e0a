package io.cozecdc.api;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The management API ({@code cdc.api.*}). */
@ConfigMapping(prefix = "cdc.api")
public interface ApiSettings {

    /**
     * Bearer token every /api/v1 call must present (env CDC_API_TOKEN). Required in production unless
     * {@link #auth()} is "none". Never logged.
     */
    Optional<String> token();

    /**
     * "bearer" (the default): /api/v1 needs the token. "none": the API is open; production refuses to
     * start open unless this is set explicitly (env CDC_API_AUTH=none).
     */
    @WithDefault("bearer")
    String auth();

    default boolean open() {
        return "none".equalsIgnoreCase(auth());
    }
}
