package io.cozecdc.common;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;

/**
 * Fails startup with a message in the service's own terms when no database is configured, before
 * anything tries to use the (then inactive) connection pool. In dev mode, says where the embedded
 * MariaDB listens, so a newcomer can write rows into it with any MySQL client.
 */
@Singleton
public class DatabaseSettingsCheck {

    /** Set by the embedded MariaDB launcher (dev mode and tests only), which the packaged app does not contain. */
    static final String EMBEDDED_PORT_PROPERTY = "io.cozecdc.embedded-db.port";
    static final String DATABASE = "cdc";

    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        boolean configured = ConfigProvider.getConfig()
                .getOptionalValue("quarkus.datasource.reactive.url", String.class)
                .filter(url -> !url.isBlank())
                .isPresent();
        if (!configured) {
            throw new IllegalStateException("No database is configured. Set DB_HOST (and DB_PORT, DB_NAME, DB_USER, "
                    + "DB_PASSWORD) to the inventory database. Only dev mode and the tests start an embedded MariaDB.");
        }
        String embeddedPort = System.getProperty(EMBEDDED_PORT_PROPERTY);
        if (embeddedPort != null) {
            Log.infof("Embedded MariaDB: 127.0.0.1:%s, database %s, user root, no password (e.g. mariadb -h 127.0.0.1 -P %s "
                    + "-u root %s)", embeddedPort, DATABASE, embeddedPort, DATABASE);
        }
    }
}
