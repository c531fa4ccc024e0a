package io.cozecdc.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

import io.cozecdc.changelog.PendingStats;
import io.cozecdc.common.JobRounds;
import io.cozecdc.common.JobSettings;
import io.cozecdc.configs.ConfigStatus;
import io.cozecdc.configs.SyncConfig;
import io.cozecdc.failures.FailureStatus;

/**
 * Gauges of the shared state in the database, as Prometheus shows them: cdc_pending_changes{table},
 * cdc_oldest_pending_age_seconds{table}, cdc_sync_failures{config,status},
 * cdc_config_status{config,status} and cdc_documents_processing{config}. The figures are read every
 * {@code cdc.ops.metrics-refresh} in the background; a scrape only reads the cached snapshot, so
 * scrapes never reach the database. Every replica reports the same figures (the alert rules take
 * the maximum across replicas).
 */
@ApplicationScoped
public class StateMetrics {

    private final StateReader reader;
    private final Clock clock;
    private final MultiGauge pending;
    private final MultiGauge oldestAge;
    private final MultiGauge failures;
    private final MultiGauge configStatus;
    private final MultiGauge processing;
    private final MultiGauge fanouts;
    private final JobRounds rounds;
    private final JobSettings jobs;
    private volatile StateSnapshot snapshot = StateSnapshot.EMPTY;

    public StateMetrics(StateReader reader, MeterRegistry registry, Clock clock, JobRounds rounds, JobSettings jobs) {
        this.rounds = rounds;
        this.jobs = jobs;
        this.reader = reader;
        this.clock = clock;
        this.pending = gauge(registry, "cdc.pending.changes", "Changes captured and not yet processed, per table");
        this.oldestAge = MultiGauge.builder("cdc.oldest.pending.age").baseUnit("seconds")
                .description("Age of the oldest pending change, per table (0 when none)").register(registry);
        this.failures = gauge(registry, "cdc.sync.failures", "Open failures per sync configuration: retrying or dead");
        this.configStatus = gauge(registry, "cdc.config.status", "1 for the status each sync configuration is in, else 0");
        this.processing = gauge(registry, "cdc.documents.processing", "Documents Coze is still processing, per configuration");
        this.fanouts = gauge(registry, "cdc.fanout.jobs", "Fan-outs of related-row changes not finished yet, per configuration");
    }

    /** The figures as last read; {@link StateSnapshot#readAt()} is null before the first read. */
    public StateSnapshot snapshot() {
        return snapshot;
    }

    @Scheduled(every = "${cdc.ops.metrics-refresh}", identity = "cdc-state-metrics",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduledRefresh() {
        return rounds.round("state-gauges", jobs.roundTimeout(), JobSettings.ROUND_TIMEOUT, () -> refresh()
                .onFailure().invoke(e -> Log.warnf("Could not refresh the state metrics (keeping the last figures): %s",
                        e.getMessage()))
                .onFailure().recoverWithNull());
    }

    /** Reads the figures now and publishes them. */
    public Uni<Void> refresh() {
        return reader.read().invoke(this::publish).replaceWithVoid();
    }

    void publish(StateSnapshot next) {
        snapshot = next;
        List<MultiGauge.Row<?>> pendingRows = new ArrayList<>();
        List<MultiGauge.Row<?>> ageRows = new ArrayList<>();
        next.pending().keySet().forEach(table -> {
            Tags tags = Tags.of("table", table);
            pendingRows.add(row(tags, s -> tablePending(s, table).count()));
            ageRows.add(row(tags, s -> ageSeconds(tablePending(s, table))));
        });
        pending.register(pendingRows, true);
        oldestAge.register(ageRows, true);
        failures.register(perConfig(next, (config, rows) -> {
            for (FailureStatus status : FailureStatus.values()) {
                rows.add(row(Tags.of("config", config.name(), "status", status.name().toLowerCase()),
                        s -> s.failures(config.id(), status)));
            }
        }), true);
        configStatus.register(perConfig(next, (config, rows) -> {
            for (ConfigStatus status : ConfigStatus.values()) {
                rows.add(row(Tags.of("config", config.name(), "status", status.name()),
                        s -> statusOf(s, config.id()) == status ? 1 : 0));
            }
        }), true);
        processing.register(perConfig(next, (config, rows) -> rows.add(row(Tags.of("config", config.name()),
                s -> s.processing().getOrDefault(config.id(), 0L)))), true);
        fanouts.register(perConfig(next, (config, rows) -> {
            if (config.hasRelations()) {
                rows.add(row(Tags.of("config", config.name()), s -> {
                    var progress = s.fanouts().get(config.id());
                    return progress == null ? 0 : progress.jobs();
                }));
            }
        }), true);
    }

    private MultiGauge.Row<?> row(Tags tags, ToDoubleFunction<StateSnapshot> value) {
        // reads the current snapshot at scrape time; `this` keeps the gauge's object strongly reachable
        return MultiGauge.Row.of(tags, this, m -> value.applyAsDouble(m.snapshot));
    }

    private static List<MultiGauge.Row<?>> perConfig(StateSnapshot s,
            java.util.function.BiConsumer<SyncConfig, List<MultiGauge.Row<?>>> rowsOf) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        s.configs().forEach(config -> rowsOf.accept(config, rows));
        return rows;
    }

    private static PendingStats.TablePending tablePending(StateSnapshot s, String table) {
        return s.pending().getOrDefault(table, new PendingStats.TablePending(table, 0, null, Duration.ZERO));
    }

    private double ageSeconds(PendingStats.TablePending t) {
        Instant oldest = t.oldestAt();
        if (oldest == null || t.count() == 0) {
            return 0;
        }
        // measured at scrape time, so the age keeps growing between two reads of a stuck backlog
        return Math.max(0, Duration.between(oldest, clock.instant()).toMillis() / 1000.0);
    }

    private static ConfigStatus statusOf(StateSnapshot s, long configId) {
        return s.configs().stream().filter(c -> c.id() == configId).map(SyncConfig::status).findFirst().orElse(null);
    }

    private static MultiGauge gauge(MeterRegistry registry, String name, String description) {
        return MultiGauge.builder(name).description(description).register(registry);
    }
}
