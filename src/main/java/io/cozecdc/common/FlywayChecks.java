package io.cozecdc.common;

import jakarta.inject.Singleton;

import org.flywaydb.core.api.configuration.FluentConfiguration;

import io.quarkus.flyway.FlywayConfigurationCustomizer;

/**
 * Adds the service's own checks to Flyway of the default datasource (the service's schema), in the
 * log language ({@code cdc.log-language}): {@link TimestampDefaultsCheck}.
 */
@Singleton
public class FlywayChecks implements FlywayConfigurationCustomizer {

    private final boolean chinese;

    public FlywayChecks(RuntimeSettings settings) {
        this.chinese = settings.logLanguage().toLowerCase(java.util.Locale.ROOT).startsWith("zh");
    }

    @Override
    public void customize(FluentConfiguration configuration) {
        configuration.callbacks(new TimestampDefaultsCheck(chinese));
    }
}
