package io.cozecdc.sync;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.cozecdc.changelog.Change;
import io.cozecdc.configs.RelationPath;
import io.cozecdc.configs.SyncConfig;

/**
 * Routes a claimed batch: groups changes by the enabled configurations that watch their table
 * (a backfill row only to its target), and coalesces to the newest change per (config, record key).
 * A change of a table that configurations relate to (issue 16) also asks for a fan-out per relation path
 * that reaches it, newest change per (path, record key); SNAPSHOT rows never do (they copy rows, they do
 * not change them).
 */
public final class Router {

    private Router() {
    }

    /**
     * @param changes  the claimed batch
     * @param configs  enabled configs of a table
     * @param byId     enabled config by id (for backfill targets)
     */
    public static Routing route(List<Change> changes, Function<String, List<SyncConfig>> configs,
            Function<Long, SyncConfig> byId) {
        return route(changes, configs, byId, table -> List.of());
    }

    /**
     * @param relating the relation paths of enabled configs that reach a table
     */
    public static Routing route(List<Change> changes, Function<String, List<SyncConfig>> configs,
            Function<Long, SyncConfig> byId, Function<String, List<RelationPath>> relating) {
        Map<Long, Map<String, Change>> newest = new LinkedHashMap<>();
        Map<String, Fanout> fanouts = new LinkedHashMap<>();
        Map<Long, SyncConfig> configById = new LinkedHashMap<>();
        List<Change> unrouted = new ArrayList<>();
        List<Change> ordered = changes.stream().sorted(Comparator.comparingLong(Change::logId)).toList();
        for (Change change : ordered) {
            List<SyncConfig> targets = targets(change, configs, byId);
            List<RelationPath> paths = change.targetConfigId() == null ? relating.apply(change.table()) : List.of();
            if (targets.isEmpty() && paths.isEmpty()) {
                unrouted.add(change);
            }
            for (RelationPath path : paths) {
                fanouts.put(path.config().id() + "\u0000" + path.name() + "\u0000" + change.recordKey(), new Fanout(path, change));
            }
            for (SyncConfig config : targets) {
                configById.putIfAbsent(config.id(), config);
                // later (higher log id) changes replace earlier ones of the same record
                newest.computeIfAbsent(config.id(), id -> new LinkedHashMap<>()).put(change.recordKey(), change);
            }
        }
        List<ConfigBatch> batches = new ArrayList<>();
        newest.forEach((id, byKey) -> batches.add(new ConfigBatch(configById.get(id), List.copyOf(byKey.values()))));
        return new Routing(batches, unrouted, List.copyOf(fanouts.values()));
    }

    private static List<SyncConfig> targets(Change change, Function<String, List<SyncConfig>> configs,
            Function<Long, SyncConfig> byId) {
        if (change.targetConfigId() != null) {
            SyncConfig target = byId.apply(change.targetConfigId());
            return target != null && target.tableName().equals(change.table()) ? List.of(target) : List.of();
        }
        return configs.apply(change.table());
    }

    /** The changes one config must apply: one per record key, the newest of the batch. */
    public record ConfigBatch(SyncConfig config, List<Change> changes) {
    }

    /** A related row's change that re-renders the documents of {@code path}'s configuration joined to it. */
    public record Fanout(RelationPath path, Change change) {
    }

    /** A routed batch, the changes no enabled config wants, and the fan-outs the batch asks for. */
    public record Routing(List<ConfigBatch> batches, List<Change> unrouted, List<Fanout> fanouts) {
    }
}
