package io.cozecdc.sync.documents;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

import io.cozecdc.common.Sql;
import io.cozecdc.common.Timestamps;

/**
 * SQL for create_intents: one row per document the service is about to create or has sent without a
 * recorded outcome. Every time compared here is the database's clock ({@code NOW(3)}), so replicas
 * with skewed clocks agree on leases.
 */
@ApplicationScoped
public class CreateIntentRepository {

    static final String COLUMNS = "id, config_id, dataset_id, table_name, record_key, log_id, operation, captured_at, "
            + "content_hash, document_name, created_at";
    static final String NOW = "SELECT NOW(3) AS now";
    static final String INSERT = "INSERT INTO create_intents (" + COLUMNS + ", owner, lease_until) VALUES ";
    static final String CLOSE = "DELETE FROM create_intents WHERE id IN ";
    static final String LEASE = "UPDATE create_intents SET lease_until = DATE_ADD(NOW(3), INTERVAL ? MICROSECOND) WHERE id IN ";
    static final String CLAIM = "SELECT " + COLUMNS + " FROM create_intents WHERE lease_until <= NOW(3) "
            + "ORDER BY lease_until LIMIT ? FOR UPDATE SKIP LOCKED";
    static final String TAKE = "UPDATE create_intents SET owner = ?, attempts = attempts + 1, "
            + "lease_until = DATE_ADD(NOW(3), INTERVAL ? MICROSECOND) WHERE id IN ";
    static final String NAMES = "SELECT document_name FROM create_intents WHERE dataset_id = ? AND document_name IN ";
    static final String COUNT = "SELECT COUNT(*) FROM create_intents";
    /** Open intents of some records of a configuration, sent within the last {@code ?} microseconds. */
    static final String CONTENT = "SELECT record_key, content_hash FROM create_intents WHERE config_id = ? "
            + "AND created_at >= DATE_SUB(NOW(3), INTERVAL ? MICROSECOND) AND record_key IN ";

    private final Pool pool;

    public CreateIntentRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Records intents sent now: reads the database's clock, lets {@code make} build the intents (their
     * names carry that time) and inserts them, leased to {@code owner} for {@code lease}. Returns them.
     */
    public Uni<List<CreateIntent>> open(java.util.function.Function<Instant, List<CreateIntent>> make, String owner,
            Duration lease) {
        return pool.withConnection(conn -> conn.query(NOW).execute().chain(rows -> {
            Instant now = Timestamps.fromDb(rows.iterator().next().getLocalDateTime("now"));
            List<CreateIntent> intents = make.apply(now);
            Tuple params = Tuple.tuple();
            for (CreateIntent i : intents) {
                params.addString(i.id()).addLong(i.configId()).addLong(i.datasetId()).addString(i.table())
                        .addString(i.recordKey()).addLong(i.logId()).addString(i.operation())
                        .addLocalDateTime(Timestamps.toDb(i.capturedAt())).addString(i.contentHash())
                        .addString(i.documentName()).addLocalDateTime(Timestamps.toDb(i.createdAt()))
                        .addString(owner).addLocalDateTime(Timestamps.toDb(now.plus(lease)));
            }
            return conn.preparedQuery(INSERT + Sql.rows(intents.size(), 13)).execute(params).replaceWith(intents);
        }));
    }

    /** Closes intents whose outcome is recorded (or known to be nothing). */
    public Uni<Integer> close(SqlClient client, List<String> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        Tuple params = Tuple.tuple();
        ids.forEach(params::addString);
        return client.preparedQuery(CLOSE + Sql.inList(ids.size())).execute(params).map(RowSet::rowCount);
    }

    /** Closes intents outside a transaction. */
    public Uni<Integer> close(List<String> ids) {
        return close(pool, ids);
    }

    /** Moves the intents' lease to {@code NOW(3) + lease}: renews it, or (a short one) hands them to a resolver. */
    public Uni<Void> lease(List<String> ids, Duration lease) {
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Tuple params = Tuple.of(micros(lease));
        ids.forEach(params::addString);
        return pool.preparedQuery(LEASE + Sql.inList(ids.size())).execute(params).replaceWithVoid();
    }

    /** Takes up to {@code limit} intents whose lease has ended, for {@code owner} until {@code NOW(3) + lease}. */
    public Uni<List<CreateIntent>> claimDue(String owner, int limit, Duration lease) {
        return Sql.transaction(pool, conn -> conn.preparedQuery(CLAIM).execute(Tuple.of(limit)).chain(rows -> {
            List<CreateIntent> intents = new ArrayList<>();
            rows.forEach(r -> intents.add(from(r)));
            if (intents.isEmpty()) {
                return Uni.createFrom().item(intents);
            }
            Tuple params = Tuple.of(owner, micros(lease));
            intents.forEach(i -> params.addString(i.id()));
            return conn.preparedQuery(TAKE + Sql.inList(intents.size())).execute(params).replaceWith(intents);
        }));
    }

    /** Which of these names, in this dataset, belong to an open intent. */
    public Uni<Set<String>> openNames(long datasetId, List<String> names) {
        if (names.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        Set<String> open = new HashSet<>();
        return inChunks(NAMES, Tuple.of(datasetId), names, r -> open.add(r.getString(0))).replaceWith(open);
    }

    /**
     * The content (hashes) of the open intents of these records of a configuration that were sent within
     * {@code within}: creates whose outcome is not known yet, by record key.
     */
    public Uni<Map<String, Set<String>>> openContent(long configId, List<String> recordKeys, Duration within) {
        if (recordKeys.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        Map<String, Set<String>> open = new HashMap<>();
        return inChunks(CONTENT, Tuple.of(configId, micros(within)), recordKeys.stream().distinct().toList(),
                r -> open.computeIfAbsent(r.getString("record_key"), k -> new HashSet<>()).add(r.getString("content_hash")))
                .replaceWith(open);
    }

    /**
     * Runs {@code sql}, which ends in {@code IN }, for {@code values} in chunks of 500, one after the other: each
     * with the {@code leading} parameters and then the chunk's values; every row goes to {@code row}.
     */
    private Uni<Void> inChunks(String sql, Tuple leading, List<String> values, java.util.function.Consumer<Row> row) {
        return io.smallrye.mutiny.Multi.createFrom().iterable(Sql.chunks(values, 500))
                .onItem().transformToUniAndConcatenate(chunk -> {
                    Tuple params = Tuple.tuple();
                    for (int i = 0; i < leading.size(); i++) {
                        params.addValue(leading.getValue(i));
                    }
                    chunk.forEach(params::addString);
                    return pool.preparedQuery(sql + Sql.inList(chunk.size())).execute(params)
                            .invoke(rows -> rows.forEach(row));
                })
                .collect().last().replaceWithVoid();
    }

    /** Open intents now. */
    public Uni<Long> count() {
        return pool.query(COUNT).execute().map(rows -> rows.iterator().next().getLong(0));
    }

    private static long micros(Duration d) {
        return d.toNanos() / 1000;
    }

    static CreateIntent from(Row r) {
        return new CreateIntent(r.getString("id"), r.getLong("config_id"), r.getLong("dataset_id"), r.getString("table_name"),
                r.getString("record_key"), r.getLong("log_id"), r.getString("operation"),
                Timestamps.fromDb(r.getLocalDateTime("captured_at")), r.getString("content_hash"),
                r.getString("document_name"), Timestamps.fromDb(r.getLocalDateTime("created_at")));
    }
}
