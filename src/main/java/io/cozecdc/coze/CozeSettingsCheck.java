package io.cozecdc.coze;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;

/**
 * Refuses to start without a Coze token unless dry-run was chosen, or with documents-per-create outside
 * 1..10, with a message that says what to set.
 */
@Singleton
public class CozeSettingsCheck {

    private final CozeSettings config;

    public CozeSettingsCheck(CozeSettings config) {
        this.config = config;
    }

    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE + 1) StartupEvent event) {
        if (config.documentsPerCreate() < 1 || config.documentsPerCreate() > CozeLimits.MAX_DOCUMENTS_PER_CREATE) {
            throw new IllegalStateException("coze.documents-per-create must be between 1 and " + CozeLimits.MAX_DOCUMENTS_PER_CREATE
                    + " (Coze's limit per create call), not " + config.documentsPerCreate());
        }
        boolean dryRun = CozeApiProducer.useDryRun(config, LaunchMode.current());
        boolean hasToken = config.apiToken().filter(t -> !t.isBlank()).isPresent();
        if (!dryRun && !hasToken) {
            throw new IllegalStateException("COZE_API_TOKEN is not set. Set it to a Coze service access token "
                    + "(and COZE_BASE_URL to https://api.coze.com outside China), or set COZE_DRY_RUN=true to write "
                    + "documents to disk instead of sending them.");
        }
    }
}
