package io.cozecdc.configs;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

import io.cozecdc.common.JobRounds;
import io.cozecdc.common.JobSettings;

/**
 * The enabled sync configurations, held in memory for routing. Refreshed after every local change
 * and whenever sync_configs changed (checked every {@code cdc.configs.refresh-interval}), so edits
 * made through another replica arrive within seconds.
 */
@ApplicationScoped
public class ConfigRegistry {

    private volatile Snapshot snapshot = new Snapshot(Map.of(), Map.of(), Map.of(), null);
    private final SyncConfigRepository repository;
    private final JobRounds rounds;
    private final JobSettings jobs;

    public ConfigRegistry(SyncConfigRepository repository, JobRounds rounds, JobSettings jobs) {
        this.rounds = rounds;
        this.jobs = jobs;
        this.repository = repository;
    }

    /** Enabled configs (ACTIVE or ERROR) of a table. */
    public List<SyncConfig> forTable(String table) {
        return snapshot.byTable().getOrDefault(table, List.of());
    }

    /**
     * The relation paths of enabled configs that reach {@code table}: a change of one of its rows re-renders
     * the documents of those configs whose rows join to it (issue 16).
     */
    public List<RelationPath> relatingTo(String table) {
        return snapshot.byRelatedTable().getOrDefault(table, List.of());
    }

    /** Every table the relations of enabled configs name. */
    public java.util.Set<String> relatedTables() {
        return snapshot.byRelatedTable().keySet();
    }

    /** An enabled config by id. */
    public Optional<SyncConfig> byId(long id) {
        return Optional.ofNullable(snapshot.byId().get(id));
    }

    /** False until sync_configs has been read once: before that every table looks unconfigured. */
    public boolean isLoaded() {
        return snapshot.fingerprint() != null;
    }

    /** Every enabled config. */
    public List<SyncConfig> all() {
        return List.copyOf(snapshot.byId().values());
    }

    /**
     * Completes once sync_configs has been read at least once, reading it now if not. Every job that
     * routes by the registry waits for this: right after a start the registry is empty, and a batch
     * routed then would find no configuration and be marked processed without syncing anything.
     */
    public Uni<Void> ensureLoaded() {
        return snapshot.fingerprint() != null ? Uni.createFrom().voidItem() : refresh();
    }

    /** Re-reads sync_configs now. */
    public Uni<Void> refresh() {
        return repository.fingerprint().chain(this::load);
    }

    /**
     * Brings the registry up to what sync_configs holds now: one cheap query, and a read of the
     * configurations only when they changed. A batch calls it right after its claim: every change it
     * holds was committed before this read, so an edit committed before the change (through any
     * replica) is seen before the change is routed and rendered.
     */
    public Uni<Void> catchUp() {
        return repository.fingerprint().chain(fp -> fp.equals(snapshot.fingerprint()) ? Uni.createFrom().voidItem() : load(fp));
    }

    /** Reads again only when sync_configs changed since the last read. */
    @Scheduled(every = "${cdc.configs.refresh-interval}", identity = "cdc-config-refresh",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refreshIfChanged() {
        return rounds.round("config-registry-refresh", jobs.roundTimeout(), JobSettings.ROUND_TIMEOUT, () -> repository.fingerprint()
                .chain(fp -> fp.equals(snapshot.fingerprint()) ? Uni.createFrom().voidItem() : load(fp))
                .onFailure().invoke(e -> Log.warnf("Could not refresh sync configurations: %s", e.getMessage()))
                .onFailure().recoverWithNull());
    }

    private Uni<Void> load(String fingerprint) {
        return repository.findEnabled().invoke(configs -> {
            Map<Long, SyncConfig> byId = configs.stream()
                    .collect(Collectors.toMap(SyncConfig::id, Function.identity(), (a, b) -> a, java.util.LinkedHashMap::new));
            Map<String, List<SyncConfig>> byTable = configs.stream().collect(Collectors.groupingBy(SyncConfig::tableName));
            Map<String, List<RelationPath>> byRelatedTable = configs.stream().flatMap(c -> RelationPath.of(c).stream())
                    .collect(Collectors.groupingBy(RelationPath::table));
            snapshot = new Snapshot(byId, byTable, byRelatedTable, fingerprint);
        }).replaceWithVoid();
    }

    private record Snapshot(Map<Long, SyncConfig> byId, Map<String, List<SyncConfig>> byTable,
            Map<String, List<RelationPath>> byRelatedTable, String fingerprint) {
    }
}
