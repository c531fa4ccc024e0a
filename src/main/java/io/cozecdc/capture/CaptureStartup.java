package io.cozecdc.capture;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * At startup: installs the triggers of the tables listed in {@code cdc.capture.tables} and checks
 * every captured table for drift, re-installing drifted or missing triggers when allowed.
 * Runs on the main thread before the service takes traffic, so waiting here blocks no event loop.
 */
@Singleton
public class CaptureStartup {

    private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(2);

    private final TriggerService triggers;
    private final CaptureConfig config;

    public CaptureStartup(TriggerService triggers, CaptureConfig config) {
        this.triggers = triggers;
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
                .chain(ignored -> triggers.statuses())
                .chain(this::handleDrift);
    }

    private Uni<Void> ensureCaptured(String table) {
        return triggers.status(table).chain(status -> status == null
                ? triggers.install(table).replaceWithVoid()
                : Uni.createFrom().voidItem());
    }

    private Uni<Void> handleDrift(List<CaptureStatus> statuses) {
        List<CaptureStatus> broken = statuses.stream().filter(s -> s.state() != TriggerState.INSTALLED).toList();
        for (CaptureStatus s : broken) {
            Log.warnf("Capture triggers of table %s are %s: %s", s.table(), s.state(), s.detail());
        }
        if (!config.reinstallOnDrift() || broken.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Multi.createFrom().iterable(broken)
                .onItem().transformToUniAndConcatenate(s -> triggers.install(s.table())
                        .onFailure().invoke(e -> Log.errorf("Could not re-install triggers of %s: %s", s.table(), e.getMessage()))
                        .onFailure().recoverWithNull())
                .collect().asList()
                .replaceWithVoid();
    }
}
