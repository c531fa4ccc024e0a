package io.cozecdc.capture;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

import io.cozecdc.common.InstanceId;
import io.cozecdc.common.JobControl;
import io.cozecdc.common.JobLeaseRepository;
import io.cozecdc.common.JobRounds;
import io.cozecdc.common.JobSettings;

/**
 * Finds captured tables whose triggers are missing or drifted and, when {@code cdc.capture.reinstall-on-drift}
 * is on, installs them again: at startup and then every {@code cdc.capture.drift-check-interval}. This matters
 * most after a column is dropped: until the triggers are regenerated, the old ones name a column that no
 * longer exists and every write to the table fails. One replica at a time does it (a job lease); each
 * problem is logged once, not on every check.
 */
@ApplicationScoped
public class DriftRepair {

    static final String JOB = "capture-drift-repair";

    private final TriggerService triggers;
    private final CaptureSettings config;
    private final JobLeaseRepository leases;
    private final JobControl control;
    private final InstanceId instance;
    private final Clock clock;
    private final Map<String, String> reported = new ConcurrentHashMap<>();
    private final JobRounds rounds;
    private final JobSettings jobs;

    public DriftRepair(TriggerService triggers, CaptureSettings config, JobLeaseRepository leases, JobControl control,
            InstanceId instance, Clock clock, JobRounds rounds, JobSettings jobs) {
        this.rounds = rounds;
        this.jobs = jobs;
        this.triggers = triggers;
        this.config = config;
        this.leases = leases;
        this.control = control;
        this.instance = instance;
        this.clock = clock;
    }

    @Scheduled(every = "${cdc.capture.drift-check-interval}", identity = "cdc-drift-repair",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        if (!control.isRunning()) {
            return Uni.createFrom().voidItem();
        }
        return control.track(rounds.round("drift-repair", jobs.roundTimeout(), JobSettings.ROUND_TIMEOUT, () -> {
            var now = clock.instant();
            return leases.tryAcquire(JOB, instance.id(), now, now.plus(config.driftCheckInterval().multipliedBy(3)))
                    .chain(mine -> mine ? repair() : Uni.createFrom().voidItem())
                    .onFailure().invoke(e -> Log.warnf("Checking the capture triggers failed: %s", e.getMessage()))
                    .onFailure().recoverWithNull();
        }));
    }

    /** Checks every captured table; re-installs broken triggers when allowed. */
    public Uni<Void> repair() {
        return triggers.statuses().chain(this::handle);
    }

    private Uni<Void> handle(List<CaptureStatus> statuses) {
        List<CaptureStatus> broken = statuses.stream().filter(s -> s.state() != TriggerState.INSTALLED).toList();
        broken.forEach(this::reportOnce);
        statuses.stream().filter(s -> s.state() == TriggerState.INSTALLED).forEach(s -> reported.remove(s.table()));
        if (!config.reinstallOnDrift() || broken.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Multi.createFrom().iterable(broken)
                .onItem().transformToUniAndConcatenate(s -> triggers.install(s.table())
                        .invoke(() -> reported.remove(s.table()))
                        .onFailure().invoke(e -> reportOnce(s.table(), "could not re-install its triggers: " + e.getMessage()))
                        .onFailure().recoverWithNull())
                .collect().asList()
                .replaceWithVoid();
    }

    private void reportOnce(CaptureStatus s) {
        reportOnce(s.table(), "triggers are " + s.state().name().toLowerCase() + ": " + s.detail()
                + (config.reinstallOnDrift() ? " [re-installing them now]"
                        : " [cdc.capture.reinstall-on-drift is off: re-install them with POST /api/v1/tables]"));
    }

    private void reportOnce(String table, String problem) {
        if (!problem.equals(reported.put(table, problem))) {
            Log.warnf("Capture of table %s: %s", table, problem);
        }
    }
}
