package io.cozecdc.common;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.runtime.StartupEvent;

/**
 * Fails startup with a message in the service's own terms when no database is configured, before
 * anything tries to use the (then inactive) connection pool.
 */
@Singleton
public class DatabaseSettingsCheck {

    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        boolean configured = ConfigProvider.getConfig()
                .getOptionalValue("quarkus.datasource.reactive.url", String.class)
                .filter(url -> !url.isBlank())
                .isPresent();
        if (!configured) {
            throw new IllegalStateException("No database is configured. Set DB_HOST (and DB_PORT, DB_NAME, DB_USER, "
                    + "DB_PASSWORD) to the inventory database. Only dev mode and the tests start an embedded MariaDB.");
        }
    }
}
