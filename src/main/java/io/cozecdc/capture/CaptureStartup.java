package io.cozecdc.capture;

import java.time.Duration;
import java.util.List;
import java.util.TreeSet;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

import io.cozecdc.configs.Relation;
import io.cozecdc.configs.SyncConfigRepository;

/**
 * At startup: installs the triggers of the tables listed in {@code cdc.capture.tables} and of every table a
 * sync configuration's relations name (issue 16: a change there re-renders the configuration's documents), and checks
 * every captured table for drift ({@link DriftRepair}), re-installing drifted or missing triggers when allowed.
 * Runs on the main thread before the service takes traffic, so waiting here blocks no event loop.
 *
 * <p>First the {@link DatabasePreflight} runs and logs every problem with its fix. A table the database
 * refuses to capture (its settings or the user's grants, {@link CaptureRefusedException}) is logged and
 * skipped: the service starts, readiness is DOWN with the same reason, and no restart loop hides it.
 */
@Singleton
public class CaptureStartup {

    private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(2);
    /** A table locked by a long transaction: tried again a few times, then left (logged) so startup goes on. */
    private static final Duration LOCK_RETRY_BACKOFF = Duration.ofSeconds(2);
    private static final int LOCK_RETRIES = 3;

    private final TriggerService triggers;
    private final DriftRepair driftRepair;
    private final CaptureSettings config;
    private final DatabasePreflight preflight;
    private final SyncConfigRepository configs;

    public CaptureStartup(TriggerService triggers, DriftRepair driftRepair, CaptureSettings config,
            DatabasePreflight preflight, SyncConfigRepository configs) {
        this.configs = configs;
        this.triggers = triggers;
        this.driftRepair = driftRepair;
        this.config = config;
        this.preflight = preflight;
    }

    void onStart(@Observes StartupEvent event) {
        run().await().atMost(STARTUP_TIMEOUT);
    }

    /** Installs the configured tables, then repairs or reports drift. */
    public Uni<Void> run() {
        return preflight.check()
                .invoke(problems -> problems.forEach(p -> Log.error(p.describe())))
                .chain(ignored -> wanted())
                .chain(wanted -> Multi.createFrom().iterable(wanted)
                .onItem().transformToUniAndConcatenate(this::ensureCaptured)
                .collect().asList()
                .chain(none -> driftRepair.repair()));
    }

    /** {@code cdc.capture.tables}, then the tables the configurations' relations name (in name order, once each). */
    private Uni<List<String>> wanted() {
        List<String> listed = config.tables().orElse(List.of());
        return configs.findAll().map(all -> {
            TreeSet<String> related = new TreeSet<>();
            all.forEach(c -> related.addAll(Relation.tables(c.related())));
            listed.forEach(related::remove);
            List<String> wanted = new java.util.ArrayList<>(listed);
            wanted.addAll(related);
            return wanted;
        });
    }

    private Uni<Void> ensureCaptured(String table) {
        return triggers.status(table).chain(status -> status == null
                ? triggers.install(table).replaceWithVoid()
                        .onFailure(CaptureRefusedException.class).invoke(e -> Log.errorf("%s%s",
                                preflight.startupRefused(table), e.getMessage()))
                        .onFailure(CaptureRefusedException.class).recoverWithNull()
                        .onFailure(TableBusyException.class).retry().withBackOff(LOCK_RETRY_BACKOFF).atMost(LOCK_RETRIES)
                        .onFailure(TableBusyException.class).invoke(e -> Log.errorf("Capture triggers of table %s not "
                                + "installed at startup: %s", table, e.getMessage()))
                        .onFailure(TableBusyException.class).recoverWithNull()
                : Uni.createFrom().voidItem());
    }
}
