package io.cozecdc.sync.render;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How documents are rendered ({@code cdc.render.*}). */
@ConfigMapping(prefix = "cdc.render")
public interface RenderSettings {

    /**
     * The time zone of {@code cdc.capturedAt} in templates ({@code 2026-12-05 10:03}), as a region or offset
     * ({@code Asia/Shanghai}, {@code +08:00}). Default {@code UTC}.
     */
    @WithDefault("UTC")
    String timeZone();
}
