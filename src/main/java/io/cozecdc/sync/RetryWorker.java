package io.cozecdc.sync;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

import io.cozecdc.changelog.Change;
import io.cozecdc.changelog.Operation;
import io.cozecdc.common.InstanceId;
import io.cozecdc.common.JobControl;
import io.cozecdc.common.JobRounds;
import io.cozecdc.common.Sql;
import io.cozecdc.configs.ConfigRegistry;
import io.cozecdc.configs.SyncConfig;
import io.cozecdc.failures.FailureRecord;
import io.cozecdc.failures.FailureRepository;
import io.cozecdc.failures.RetrySettings;
import io.cozecdc.sink.SinkHealth;

/**
 * Replays failures whose time has come through the same path as live changes. The version guard
 * makes a stale retry a no-op; a retry that fails again is rescheduled (or becomes DEAD) by the
 * commit; configurations in ERROR are skipped until they recover.
 */
@ApplicationScoped
public class RetryWorker {

    private final FailureRepository failures;
    private final ConfigRegistry registry;
    private final ConfigDelivery configSync;
    private final InstanceId instance;
    private final JobControl control;
    private final SinkHealth cozeHealth;
    private final RetrySettings config;
    private final SyncSettings settings;
    private final SyncMetrics metrics;
    private final LeaseKeeper leases;
    private final Clock clock;
    private final JobRounds rounds;
    private final LeaseSettings leaseSettings;

    public RetryWorker(FailureRepository failures, ConfigRegistry registry, ConfigDelivery configSync, InstanceId instance,
            JobControl control, SinkHealth cozeHealth, RetrySettings config, SyncSettings settings, SyncMetrics metrics,
            LeaseKeeper leases, Clock clock, JobRounds rounds, LeaseSettings leaseSettings) {
        this.leases = leases;
        this.leaseSettings = leaseSettings;
        this.rounds = rounds;
        this.failures = failures;
        this.registry = registry;
        this.configSync = configSync;
        this.instance = instance;
        this.control = control;
        this.cozeHealth = cozeHealth;
        this.config = config;
        this.settings = settings;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Scheduled(every = "${cdc.retry.interval}", identity = "cdc-retry",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        if (!control.isRunning() || cozeHealth.holdBack()) {
            return Uni.createFrom().voidItem();
        }
        // a round that never ends would stop retries for good (the scheduler skips while one runs): abandon it
        // once its claims are no longer renewed (cdc.leases.max-hold), when they are free again anyway
        return control.track(rounds.round("retry-worker", leaseSettings.maxHold(), "cdc.leases.max-hold", this::retryDue));
    }

    /** Replays the failures that are due now. */
    public Uni<Void> retryDue() {
        String owner = instance.nextClaim("r");
        return registry.ensureLoaded()
                .chain(() -> {
                    Instant now = clock.instant();
                    return failures.claimDue(owner, now, config.batchSize(), now.plus(settings.poll().lease()));
                })
                .chain(due -> replay(owner, due))
                .onFailure().invoke(e -> Log.warnf("Retrying failed changes failed: %s", e.getMessage()))
                .onFailure().recoverWithNull();
    }

    private Uni<Void> replay(String owner, List<FailureRecord> due) {
        if (due.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Map<Long, List<FailureRecord>> byConfig = due.stream().collect(Collectors.groupingBy(FailureRecord::configId));
        List<Long> ids = due.stream().map(FailureRecord::id).toList();
        // the claim stays with this round while it runs, however long Coze takes (LeaseKeeper renews it)
        leases.holdRetries(owner, ids);
        return Multi.createFrom().iterable(byConfig.entrySet())
                .onItem().transformToUniAndConcatenate(e -> replay(e.getKey(), e.getValue()))
                .collect().last()
                // whatever a retry did not replace or resolve (unknown config, unexpected error) goes back
                .chain(() -> Sql.bounded(failures.release(owner, ids), "the release of a retry round"))
                .onTermination().invoke(() -> leases.dropRetries(owner));
    }

    private Uni<Void> replay(long configId, List<FailureRecord> due) {
        SyncConfig syncConfig = registry.byId(configId).orElse(null);
        if (syncConfig == null || !syncConfig.isActive()) {
            return Uni.createFrom().voidItem();
        }
        List<Change> changes = due.stream().map(RetryWorker::toChange).toList();
        return configSync.sync(syncConfig, changes)
                .call(statuses -> resolveStale(syncConfig, statuses))
                .invoke(statuses -> count(syncConfig, statuses))
                .replaceWithVoid()
                .onFailure().invoke(e -> Log.warnf("Retry of %d changes of config '%s' failed: %s", due.size(),
                        syncConfig.name(), e.getMessage()))
                .onFailure().recoverWithNull();
    }

    /** A retry that turned out stale is moot: a newer change of the record was accepted. */
    private Uni<Void> resolveStale(SyncConfig syncConfig, Map<Change, CommitStatus> statuses) {
        Map<String, Long> stale = statuses.entrySet().stream().filter(e -> e.getValue() == CommitStatus.STALE)
                .collect(Collectors.toMap(e -> e.getKey().recordKey(), e -> e.getKey().logId(), Math::max));
        return stale.isEmpty() ? Uni.createFrom().voidItem()
                : Sql.bounded(failures.resolve(failures.pool(), syncConfig.id(), stale), "the resolution of stale retries");
    }

    private void count(SyncConfig syncConfig, Map<Change, CommitStatus> statuses) {
        List<CommitStatus> all = new ArrayList<>(statuses.values());
        all.stream().collect(Collectors.groupingBy(s -> s, Collectors.counting()))
                .forEach((status, n) -> metrics.processed(syncConfig.tableName(), syncConfig.name(), status, n.intValue()));
    }

    static Change toChange(FailureRecord f) {
        return new Change(f.logId(), f.tableName(), f.recordKey(), Operation.valueOf(f.operation()), f.payload(),
                f.capturedAt(), null);
    }
}
