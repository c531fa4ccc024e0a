package io.cozecdc.changelog;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

import io.cozecdc.common.Sql;
import io.cozecdc.common.Timestamps;

/** SQL for data_change_logs: claiming with leases, marking processed, pending statistics and cleanup. */
@ApplicationScoped
public class ChangeLogRepository {

    /** Served by idx_processed: the pending rows only, grouped per table. */
    static final String PENDING_PER_TABLE = """
            SELECT table_name, COUNT(*) AS pending, MIN(created_at) AS oldest
              FROM data_change_logs
             WHERE processed = 0
             GROUP BY table_name
             ORDER BY table_name""";
    static final String CLEANUP = "CALL cleanup_processed_changes_older_than(?, ?)";

    /**
     * change_data as the JSON text the server holds. MySQL's JSON column would otherwise reach the
     * reactive client as a Vert.x JsonObject, which parses every fraction as a double (DECIMAL 10.00
     * becomes 10.0, long decimals lose digits); the text keeps them exact. A no-op on MariaDB.
     */
    static final String CHANGE_DATA = "CAST(change_data AS CHAR) AS change_data";
    /**
     * Served by idx_processed (processed, then id as InnoDB appends the primary key): the oldest
     * pending rows whose lease is free, skipping rows another replica is claiming right now.
     */
    static final String CLAIM_SELECT = "SELECT id, table_name, record_uuid, operation_type, " + CHANGE_DATA
            + ", created_at, target_config_id\n" + """
              FROM data_change_logs
             WHERE processed = 0 AND (claim_expires_at IS NULL OR claim_expires_at < NOW(3))
             ORDER BY id
             LIMIT ?
               FOR UPDATE SKIP LOCKED""";
    static final String CLAIM_STAMP = "UPDATE data_change_logs SET claimed_by = ?, "
            + "claim_expires_at = DATE_ADD(NOW(3), INTERVAL ? MICROSECOND) WHERE id IN ";
    /** Extends the lease of rows a batch still works on (only while it holds them). */
    static final String RENEW = "UPDATE data_change_logs SET claim_expires_at = DATE_ADD(NOW(3), INTERVAL ? MICROSECOND) "
            + "WHERE processed = 0 AND claimed_by = ? AND id IN ";
    static final String MARK_PROCESSED =
            "UPDATE data_change_logs SET processed = 1, processed_at = ?, claim_expires_at = NULL WHERE claimed_by = ? AND id IN ";
    static final String RELEASE =
            "UPDATE data_change_logs SET claimed_by = NULL, claim_expires_at = NULL WHERE processed = 0 AND claimed_by = ? AND id IN ";
    static final String RELEASE_ALL_OF = "UPDATE data_change_logs SET claimed_by = NULL, claim_expires_at = NULL "
            + "WHERE processed = 0 AND LEFT(claimed_by, ?) = ?";
    static final String FIND = "SELECT id, table_name, record_uuid, operation_type, " + CHANGE_DATA + ", created_at, "
            + "target_config_id FROM data_change_logs WHERE id IN ";

    /** A resync's SNAPSHOT rows; {@link #insertSnapshots} completes it with the SELECT that reads them. */
    static final String INSERT_SNAPSHOTS =
            "INSERT INTO data_change_logs (table_name, record_uuid, operation_type, change_data, target_config_id) ";

    private final Pool pool;

    /**
     * Adds a resync's SNAPSHOT rows on {@code conn} (the backfill's transaction): {@code select} reads the
     * captured table and yields, per row, the table name, the record key, 'SNAPSHOT', the row as JSON and
     * the target configuration, in that order. Returns the number of rows added.
     */
    public Uni<Integer> insertSnapshots(SqlConnection conn, String select, Tuple params) {
        return conn.preparedQuery(INSERT_SNAPSHOTS + select).execute(params).map(rows -> rows.rowCount());
    }

    public ChangeLogRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Claims up to {@code limit} pending rows for {@code owner} for {@code leaseUntil - now}, in one
     * short transaction: no lock is held once it returns. Expiry is judged and stamped with the
     * database's clock, so replicas with skewed clocks agree; only the length of the lease comes from
     * the arguments.
     */
    public Uni<List<Change>> claim(String owner, int limit, Instant now, Instant leaseUntil) {
        long leaseMicros = Math.max(0, java.time.Duration.between(now, leaseUntil).toNanos() / 1000);
        return pool.withTransaction(conn -> conn.preparedQuery(CLAIM_SELECT)
                .execute(Tuple.of(limit))
                .chain(rows -> {
                    List<Change> changes = new ArrayList<>();
                    rows.forEach(row -> changes.add(toChange(row)));
                    if (changes.isEmpty()) {
                        return Uni.createFrom().item(changes);
                    }
                    List<Long> ids = changes.stream().map(Change::logId).toList();
                    Tuple params = Tuple.of(owner, leaseMicros);
                    ids.forEach(params::addLong);
                    return conn.preparedQuery(CLAIM_STAMP + Sql.inList(ids.size())).execute(params).replaceWith(changes);
                }));
    }

    /** Extends {@code owner}'s lease on rows it still holds to {@code NOW(3) + lease}; returns how many. */
    public Uni<Integer> renew(String owner, List<Long> ids, java.time.Duration lease) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        Tuple params = Tuple.of(lease.toNanos() / 1000, owner);
        ids.forEach(params::addLong);
        return pool.preparedQuery(RENEW + Sql.inList(ids.size())).execute(params).map(r -> r.rowCount());
    }

    /** Marks rows processed, but only those {@code owner} still holds; returns how many were marked. */
    public Uni<Integer> markProcessed(String owner, List<Long> ids, Instant now) {
        return markProcessed(pool, owner, ids, now);
    }

    /** {@link #markProcessed(String, List, Instant)} on {@code client}: a transaction that records what they caused. */
    public Uni<Integer> markProcessed(io.vertx.mutiny.sqlclient.SqlClient client, String owner, List<Long> ids, Instant now) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        Tuple params = Tuple.of(Timestamps.toDb(now), owner);
        ids.forEach(params::addLong);
        return client.preparedQuery(MARK_PROCESSED + Sql.inList(ids.size())).execute(params).map(r -> r.rowCount());
    }

    /** Gives claimed rows back at once (shutdown, Coze down) so any replica can take them. */
    public Uni<Integer> release(String owner, List<Long> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        Tuple params = Tuple.of(owner);
        ids.forEach(params::addLong);
        return pool.preparedQuery(RELEASE + Sql.inList(ids.size())).execute(params).map(r -> r.rowCount());
    }

    /** Gives back every unprocessed row whose claim token starts with {@code prefix} (a stopping replica's); returns how many. */
    public Uni<Integer> releaseAllOf(String prefix) {
        return pool.preparedQuery(RELEASE_ALL_OF).execute(Tuple.of(prefix.length(), prefix)).map(r -> r.rowCount());
    }

    /** The given rows as changes (rows already cleaned up are absent). */
    public Uni<java.util.Map<Long, Change>> find(List<Long> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(java.util.Map.of());
        }
        Tuple params = Tuple.tuple();
        ids.forEach(params::addLong);
        return pool.preparedQuery(FIND + Sql.inList(ids.size())).execute(params).map(rows -> {
            java.util.Map<Long, Change> result = new java.util.HashMap<>();
            rows.forEach(row -> result.put(row.getLong("id"), toChange(row)));
            return result;
        });
    }

    /** Pending count and oldest capture time per table (tables with nothing pending are absent). */
    public Uni<List<PendingRow>> pendingPerTable() {
        return pool.query(PENDING_PER_TABLE).execute().map(rows -> {
            List<PendingRow> result = new ArrayList<>();
            for (Row row : rows) {
                result.add(new PendingRow(row.getString("table_name"), row.getLong("pending"),
                        Timestamps.fromDb(row.getLocalDateTime("oldest"))));
            }
            return result;
        });
    }

    /**
     * Deletes processed rows older than the retention, chunk by chunk, through the same procedure the
     * database event calls. Returns the number of rows removed.
     */
    public Uni<Long> deleteProcessedOlderThan(long retentionSeconds, int chunkSize) {
        return pool.preparedQuery(CLEANUP).execute(Tuple.of(retentionSeconds, chunkSize))
                .map(rows -> {
                    var it = rows.iterator();
                    return it.hasNext() ? it.next().getLong(0) : 0L;
                });
    }

    static Change toChange(Row row) {
        return new Change(row.getLong("id"), row.getString("table_name"), row.getString("record_uuid"),
                Operation.valueOf(row.getString("operation_type")), json(row.getValue("change_data")),
                Timestamps.fromDb(row.getLocalDateTime("created_at")), row.getLong("target_config_id"));
    }

    /**
     * change_data as selected through {@link #CHANGE_DATA}: text on both servers. A JsonObject (a JSON
     * column read without the cast) is still accepted, but its fractions have been through a double.
     */
    static ObjectNode json(Object value) {
        if (value == null) {
            return null;
        }
        String text = value instanceof io.vertx.core.json.JsonObject o ? o.encode()
                : value instanceof io.vertx.core.buffer.Buffer b ? b.toString(java.nio.charset.StandardCharsets.UTF_8)
                : value.toString();
        return ChangeData.parse(text);
    }

    /** Pending figures of one table as read. */
    public record PendingRow(String table, long count, java.time.Instant oldest) {
    }
}
