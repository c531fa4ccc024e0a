package io.cozecdc.sync.render;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.quarkus.qute.Engine;

/**
 * The Qute engine for sync configurations' templates. Templates only read maps (the kept fields and
 * {@code cdc.*}), so the default resolvers suffice and nothing needs reflection in the native image.
 * Strict rendering: a template naming a field it does not get fails instead of printing nothing.
 */
@ApplicationScoped
public class TemplateEngine {

    @Produces
    @Singleton
    Engine engine() {
        return Engine.builder().addDefaults().strictRendering(true).build();
    }
}
