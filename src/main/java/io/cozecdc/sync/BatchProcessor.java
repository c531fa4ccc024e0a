package io.cozecdc.sync;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

import io.cozecdc.changelog.Change;
import io.cozecdc.changelog.ChangeLogRepository;
import io.cozecdc.common.InstanceId;
import io.cozecdc.common.Sql;
import io.cozecdc.configs.ConfigRegistry;
import io.cozecdc.configs.SyncConfig;
import io.cozecdc.fanout.FanoutJob;
import io.cozecdc.fanout.FanoutRepository;

/**
 * One batch: claim pending changes, route them to the configurations that watch their tables, sync
 * each configuration, and mark the rows processed. If a configuration's sync fails unexpectedly
 * (say the database went away), the whole batch is released instead: it is safe to run again, since
 * the version guard and content hashes make a repeat a no-op.
 */
@ApplicationScoped
public class BatchProcessor {

    private final ChangeLogRepository changeLog;
    private final ConfigRegistry registry;
    private final ConfigDelivery configSync;
    private final SyncSettings settings;
    private final InstanceId instance;
    private final SyncMetrics metrics;
    private final Messages messages;
    private final LeaseKeeper leases;
    private final Clock clock;
    private final FanoutRepository fanouts;

    public BatchProcessor(ChangeLogRepository changeLog, ConfigRegistry registry, ConfigDelivery configSync, SyncSettings settings,
            InstanceId instance, SyncMetrics metrics, Messages messages, LeaseKeeper leases, Clock clock, FanoutRepository fanouts) {
        this.fanouts = fanouts;
        this.leases = leases;
        this.changeLog = changeLog;
        this.registry = registry;
        this.configSync = configSync;
        this.settings = settings;
        this.instance = instance;
        this.metrics = metrics;
        this.messages = messages;
        this.clock = clock;
    }

    /**
     * Claims and processes one batch; returns how many rows were claimed. The poller runs
     * {@link #claim()} and {@link #process} itself; this is the tests' handle on exactly one batch.
     */
    public Uni<Integer> processBatch() {
        return claim().chain(this::process);
    }

    /**
     * Claims up to a batch of pending changes under a fresh claim token (possibly none). Nothing is
     * claimed before the configurations have been read once: until then every change would look
     * unrouted and be marked processed without reaching Coze (a race at startup).
     */
    public Uni<Claimed> claim() {
        if (!registry.isLoaded()) {
            Log.debug("Not claiming changes yet: the sync configurations have not been read");
            return Uni.createFrom().item(Claimed.NONE);
        }
        String owner = instance.nextClaim("b");
        Instant now = clock.instant();
        return changeLog.claim(owner, settings.poll().batchSize(), now, now.plus(settings.poll().lease()))
                .map(changes -> new Claimed(owner, changes));
    }

    /** Processes a claimed batch; returns how many rows it held. */
    public Uni<Integer> process(Claimed claimed) {
        return claimed.changes().isEmpty() ? Uni.createFrom().item(0) : process(claimed.owner(), claimed.changes());
    }

    private Uni<Integer> process(String owner, List<Change> changes) {
        String batch = owner.substring(owner.lastIndexOf('#') + 1);
        metrics.batch(changes.size());
        Log.info(messages.found(batch, changes.size()));
        return route(changes).chain(routing -> process(owner, batch, changes, routing));
    }

    /**
     * Routes by the registry, brought up to date first ({@link ConfigRegistry#catchUp}): this replica's
     * registry may be up to a refresh interval old, and a configuration created, enabled or edited through
     * another replica just before a change was written must neither see the change marked processed as
     * unrouted nor have it rendered with its old fields or template (nothing would correct that document).
     * When changes are still unrouted, reads the configurations again and routes again.
     */
    private Uni<Router.Routing> route(List<Change> changes) {
        return Sql.bounded(registry.catchUp(), "the configurations' fingerprint")
                .onFailure().invoke(e -> Log.warnf("Could not check the sync configurations before routing: %s", e.getMessage()))
                .onFailure().recoverWithNull()
                .chain(() -> routeAfterCatchUp(changes));
    }

    private Uni<Router.Routing> routeAfterCatchUp(List<Change> changes) {
        Router.Routing routing = routeNow(changes);
        if (routing.unrouted().isEmpty()) {
            return Uni.createFrom().item(routing);
        }
        return Sql.bounded(registry.refresh(), "the configurations").map(v -> routeNow(changes));
    }

    private Router.Routing routeNow(List<Change> changes) {
        return Router.route(changes, registry::forTable, id -> registry.byId(id).orElse(null), registry::relatingTo);
    }

    private Uni<Integer> process(String owner, String batch, List<Change> changes, Router.Routing routing) {
        logTables(batch, changes);
        countUnrouted(routing.unrouted());
        List<Long> ids = changes.stream().map(Change::logId).toList();
        // the claim stays with this batch while it runs, however long Coze takes (LeaseKeeper renews it)
        leases.holdBatch(owner, ids);
        return Multi.createFrom().iterable(routing.batches())
                .onItem().transformToUni(b -> syncOne(batch, b.config(), b.changes()))
                .merge(Math.max(1, settings.poll().configConcurrency()))
                .collect().asList()
                .chain(results -> results.contains(Boolean.FALSE)
                        ? Sql.retryingTransient(Sql.bounded(changeLog.release(owner, ids), "the release of a batch")).invoke(n -> Log.warnf("[batch %s] released %d changes to retry later", batch, n))
                        : markProcessed(owner, ids, routing.fanouts())
                                .invoke(n -> warnIfLost(batch, n, ids.size())))
                .onTermination().invoke(() -> leases.dropBatch(owner))
                .replaceWith(changes.size());
    }

    /**
     * Marks the batch processed; when it changed related rows, creates their fan-outs in the same transaction,
     * so a change is never marked processed without the re-rendering it asks for (a crash in between leaves
     * both undone, and the change is claimed again).
     */
    private Uni<Integer> markProcessed(String owner, List<Long> ids, List<Router.Fanout> requested) {
        Instant now = clock.instant();
        if (requested.isEmpty()) {
            // a deadlock here (with another batch's end or renewal) would fail a batch whose work is done and
            // leave its rows for the whole poll lease: run it again, as a transaction would be
            return Sql.retryingTransient(Sql.bounded(changeLog.markProcessed(owner, ids, now), "the end of a batch"));
        }
        List<FanoutJob.New> jobs = requested.stream().map(BatchProcessor::job).toList();
        return Sql.transaction(fanouts.pool(), conn -> fanouts.enqueue(conn, jobs)
                .chain(() -> changeLog.markProcessed(conn, owner, ids, now)));
    }

    /** The fan-out of a related row's change: its join columns from NEW data (OLD for a delete). */
    static FanoutJob.New job(Router.Fanout fanout) {
        Change change = fanout.change();
        var values = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        for (String column : fanout.path().last().join().values()) {
            if (change.data() != null && change.data().has(column)) {
                values.set(column, change.data().get(column));
            }
        }
        return new FanoutJob.New(fanout.path().config().id(), fanout.path().name(), change.table(), change.recordKey(), values,
                change.logId());
    }

    /** Syncs one config; false when it failed unexpectedly. */
    private Uni<Boolean> syncOne(String batch, SyncConfig config, List<Change> changes) {
        return configSync.sync(config, changes)
                .invoke(statuses -> report(batch, config, statuses))
                .replaceWith(Boolean.TRUE)
                .onFailure().recoverWithItem(e -> {
                    Log.errorf(e, "[batch %s] Sync of config '%s' failed: %s", batch, config.name(), e.getMessage());
                    return Boolean.FALSE;
                });
    }

    private void report(String batch, SyncConfig config, Map<Change, CommitStatus> statuses) {
        Map<CommitStatus, Long> counts = statuses.values().stream().collect(Collectors.groupingBy(s -> s, Collectors.counting()));
        Log.info(messages.configDone(batch, config.name(), count(counts, CommitStatus.SYNCED, CommitStatus.DELETED),
                count(counts, CommitStatus.UNCHANGED, CommitStatus.STALE), count(counts, CommitStatus.RETRYING, CommitStatus.DEAD),
                count(counts, CommitStatus.HELD)));
        counts.forEach((status, n) -> metrics.processed(config.tableName(), config.name(), status, n.intValue()));
    }

    private static int count(Map<CommitStatus, Long> counts, CommitStatus... statuses) {
        long n = 0;
        for (CommitStatus s : statuses) {
            n += counts.getOrDefault(s, 0L);
        }
        return (int) n;
    }

    private void logTables(String batch, List<Change> changes) {
        changes.stream().collect(Collectors.groupingBy(Change::table, java.util.TreeMap::new, Collectors.counting()))
                .forEach((table, n) -> Log.info(messages.table(batch, table, n.intValue(), configsOf(table))));
    }

    /** Configurations a change of the table reaches: those of the table, and those that relate to it (fan-out). */
    private int configsOf(String table) {
        java.util.Set<Long> ids = new java.util.HashSet<>();
        registry.forTable(table).forEach(c -> ids.add(c.id()));
        registry.relatingTo(table).forEach(p -> ids.add(p.config().id()));
        return ids.size();
    }

    private void countUnrouted(List<Change> unrouted) {
        unrouted.stream().collect(Collectors.groupingBy(Change::table, Collectors.counting()))
                .forEach((table, n) -> metrics.processed(table, "", CommitStatus.UNROUTED, n.intValue()));
    }

    /** The changes one claim took, and the token they are held under. */
    public record Claimed(String owner, List<Change> changes) {
        /** Nothing claimed (the poller held back). */
        public static final Claimed NONE = new Claimed("", List.of());

        public int size() {
            return changes.size();
        }
    }

    private static void warnIfLost(String batch, int marked, int claimed) {
        if (marked < claimed) {
            Log.warnf("[batch %s] %d of %d changes were re-claimed by another replica after this one's lease "
                    + "expired (raise cdc.poll.lease if batches take that long)", batch, claimed - marked, claimed);
        }
    }
}
