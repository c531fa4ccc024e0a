package io.cozecdc.fanout;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

import io.cozecdc.capture.TableDescriber;
import io.cozecdc.common.Sql;
import io.cozecdc.configs.Relation;
import io.cozecdc.configs.SyncConfig;

/**
 * The dependency index (document_dependencies): which related rows each document was rendered from, for the
 * relations whose old join values a change cannot show. An UPDATE's change-log row carries only NEW data, so
 * when an inventory record moves from product A to product B only B can be found from the change; A is found
 * here. A relation joined on its table's primary key needs no entry: a change of that key is captured as a
 * DELETE with the OLD row plus an UPDATE of the new key, and both are followed from their own data.
 *
 * <p>Written in the delivery's transaction that read the related rows with locking reads, so a writer of
 * those rows commits after it and its fan-out reads the entry. Each entry carries the newest change whose
 * delivery read it ({@code seen_log_id}); a delivery of change L removes the document's entries older than L
 * (rows its render no longer shows). An entry read by a newer delivery stays, whatever order deliveries
 * commit in, so the document a newer accepted change rendered is never left without its entries.
 */
@ApplicationScoped
public class DependencyIndex {

    static final String PRUNE_HEAD = "DELETE FROM document_dependencies WHERE config_id = ? AND (";
    static final String PRUNE_ONE = "(record_key = CAST(? AS BINARY) AND seen_log_id < ?)";
    static final String UPSERT_HEAD = """
            INSERT INTO document_dependencies (config_id, related_table, related_key, record_key, seen_log_id)
            SELECT n_config, n_table, n_related, n_record, n_seen FROM (""";
    static final String UPSERT_FIRST = "SELECT ? AS n_config, ? AS n_table, CAST(? AS BINARY) AS n_related, "
            + "CAST(? AS BINARY) AS n_record, ? AS n_seen";
    static final String UPSERT_NEXT = " UNION ALL SELECT ?, ?, CAST(? AS BINARY), CAST(? AS BINARY), ?";
    static final String UPSERT_TAIL = ") AS n ON DUPLICATE KEY UPDATE seen_log_id = GREATEST(seen_log_id, n_seen)";
    static final String DELETE_CONFIG = "DELETE FROM document_dependencies WHERE config_id = ?";
    static final int ROWS_PER_STATEMENT = 200;
    static final Duration MAX_AGE = Duration.ofSeconds(30);

    private final TableDescriber describer;
    private final Clock clock;
    private final Map<String, Cached> keys = new ConcurrentHashMap<>();

    public DependencyIndex(TableDescriber describer, Clock clock) {
        this.describer = describer;
        this.clock = clock;
    }

    /**
     * The related tables of {@code config} whose rows go into the index: those of to-many relations and of
     * to-one relations not joined on the related table's primary key, at any level.
     */
    public Uni<Set<String>> indexedTables(SyncConfig config) {
        List<Relation> all = new ArrayList<>();
        collect(config.related(), all);
        return Multi.createFrom().iterable(all)
                .onItem().transformToUniAndConcatenate(r -> needsIndex(r).map(needed -> needed ? r.table() : null))
                .filter(java.util.Objects::nonNull)
                .collect().in(HashSet<String>::new, Set::add)
                .map(set -> (Set<String>) set);
    }

    private Uni<Boolean> needsIndex(Relation relation) {
        if (relation.toMany()) {
            return Uni.createFrom().item(true);
        }
        return primaryKey(relation.table())
                .map(key -> !(relation.join().size() == 1 && relation.join().values().iterator().next().equals(key)));
    }

    private Uni<String> primaryKey(String table) {
        Instant now = clock.instant();
        Cached known = keys.get(table);
        if (known != null && known.readAt().plus(MAX_AGE).isAfter(now)) {
            return Uni.createFrom().item(known.key());
        }
        return describer.describe(table).map(schema -> schema.key().name())
                .invoke(key -> keys.put(table, new Cached(key, now)));
    }

    private static void collect(List<Relation> level, List<Relation> into) {
        for (Relation r : level) {
            into.add(r);
            collect(r.related(), into);
        }
    }

    /**
     * Records, on {@code client} (the delivery's transaction), what the delivery of each record read: first the
     * record's entries older than its change are removed, then every row read is entered (or kept, with the
     * newer change).
     *
     * @param changes record key → log id of the change delivered for it (deleted and vanished rows included:
     *                their older entries go)
     * @param reads   record key → the related rows its document was rendered from (indexed tables only)
     */
    public Uni<Void> record(SqlClient client, long configId, Map<String, Long> changes, Map<String, ? extends Collection<Dependency>> reads) {
        Uni<Void> work = Uni.createFrom().voidItem();
        for (List<Map.Entry<String, Long>> part : Sql.chunks(List.copyOf(changes.entrySet()), ROWS_PER_STATEMENT)) {
            StringBuilder sql = new StringBuilder(PRUNE_HEAD);
            Tuple params = Tuple.of(configId);
            for (int i = 0; i < part.size(); i++) {
                sql.append(i == 0 ? "" : " OR ").append(PRUNE_ONE);
                params.addString(part.get(i).getKey()).addLong(part.get(i).getValue());
            }
            String statement = sql.append(')').toString();
            work = work.chain(() -> client.preparedQuery(statement).execute(params).replaceWithVoid());
        }
        List<Object[]> rows = new ArrayList<>();
        reads.forEach((record, deps) -> {
            Long logId = changes.get(record);
            if (logId != null) {
                deps.forEach(d -> rows.add(new Object[] {d.table(), d.key(), record, logId}));
            }
        });
        for (List<Object[]> part : Sql.chunks(rows, ROWS_PER_STATEMENT)) {
            StringBuilder sql = new StringBuilder(UPSERT_HEAD).append(UPSERT_FIRST);
            Tuple params = Tuple.tuple();
            for (int i = 0; i < part.size(); i++) {
                sql.append(i == 0 ? "" : UPSERT_NEXT);
                Object[] row = part.get(i);
                params.addLong(configId).addString((String) row[0]).addString((String) row[1]).addString((String) row[2])
                        .addLong((Long) row[3]);
            }
            String statement = sql.append(UPSERT_TAIL).toString();
            work = work.chain(() -> client.preparedQuery(statement).execute(params).replaceWithVoid());
        }
        return work;
    }

    /** Deletes the index of a configuration, on {@code client} (the configuration's delete). */
    public Uni<Void> deleteConfig(SqlClient client, long configId) {
        return client.preparedQuery(DELETE_CONFIG).execute(Tuple.of(configId)).replaceWithVoid();
    }

    /** A related row a document was rendered from. */
    public record Dependency(String table, String key) {
    }

    private record Cached(String key, Instant readAt) {
    }
}
