package io.cozecdc.sync;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.cozecdc.changelog.Change;
import io.cozecdc.configs.SyncConfig;

/**
 * Routes a claimed batch: groups changes by the enabled configurations that watch their table
 * (a backfill row only to its target), and coalesces to the newest change per (config, record key).
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
        Map<Long, Map<String, Change>> newest = new LinkedHashMap<>();
        Map<Long, SyncConfig> configById = new LinkedHashMap<>();
        List<Change> unrouted = new ArrayList<>();
        List<Change> ordered = changes.stream().sorted(Comparator.comparingLong(Change::logId)).toList();
        for (Change change : ordered) {
            List<SyncConfig> targets = targets(change, configs, byId);
            if (targets.isEmpty()) {
                unrouted.add(change);
            }
            for (SyncConfig config : targets) {
                configById.putIfAbsent(config.id(), config);
                // later (higher log id) changes replace earlier ones of the same record
                newest.computeIfAbsent(config.id(), id -> new LinkedHashMap<>()).put(change.recordKey(), change);
            }
        }
        List<ConfigBatch> batches = new ArrayList<>();
        newest.forEach((id, byKey) -> batches.add(new ConfigBatch(configById.get(id), List.copyOf(byKey.values()))));
        return new Routing(batches, unrouted);
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

    /** A routed batch, and the changes no enabled config wants. */
    public record Routing(List<ConfigBatch> batches, List<Change> unrouted) {
    }
}
