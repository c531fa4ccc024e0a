package io.cozecdc.api;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

import io.quarkus.logging.Log;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;

/** Refuses to run the management API open in production unless told to, and says so loudly in dev mode. */
@Singleton
public class ApiSettingsCheck {

    private final ApiSettings config;

    public ApiSettingsCheck(ApiSettings config) {
        this.config = config;
    }

    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE + 2) StartupEvent event) {
        boolean hasToken = config.token().filter(t -> !t.isBlank()).isPresent();
        if (hasToken) {
            return;
        }
        if (config.open()) {
            Log.warn("The management API (/api/v1) runs WITHOUT authentication (CDC_API_AUTH=none).");
            return;
        }
        if (LaunchMode.current().isDevOrTest()) {
            Log.warn("CDC_API_TOKEN is not set: in dev mode the management API (/api/v1) is open to anyone who can reach it.");
            return;
        }
        throw new IllegalStateException("CDC_API_TOKEN is not set. Set it to a long random secret that API callers send "
                + "as 'Authorization: Bearer <token>', or set CDC_API_AUTH=none to run the management API without "
                + "authentication (not recommended).");
    }
}
