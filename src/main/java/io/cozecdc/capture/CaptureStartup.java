package io.cozecdc.capture;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * At startup: installs the triggers of the tables listed in {@code cdc.capture.tables} and checks
 * every captured table for drift ({@link DriftRepair}), re-installing drifted or missing triggers when allowed.
 * Runs on the main thread before the service takes traffic, so waiting here blocks no event loop.
 */
@Singleton
public class CaptureStartup {

    private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(2);

    private final TriggerService triggers;
    private final DriftRepair driftRepair;
    private final CaptureConfig config;

    public CaptureStartup(TriggerService triggers, DriftRepair driftRepair, CaptureConfig config) {
        this.triggers = triggers;
        this.driftRepair = driftRepair;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        run().await().atMost(STARTUP_TIMEOUT);
    }

    /** Installs the configured tables, then repairs or reports drift. */
    public Uni<Void> run() {
        List<String> wanted = config.tables().orElse(List.of());
        return Multi.createFrom().iterable(wanted)
                .onItem().transformToUniAndConcatenate(this::ensureCaptured)
                .collect().asList()
                .chain(ignored -> driftRepair.repair());
    }

    private Uni<Void> ensureCaptured(String table) {
        return triggers.status(table).chain(status -> status == null
                ? triggers.install(table).replaceWithVoid()
                : Uni.createFrom().voidItem());
    }
}
