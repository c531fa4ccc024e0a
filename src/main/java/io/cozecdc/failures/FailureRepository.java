package io.cozecdc.failures;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

import io.cozecdc.changelog.ChangeData;
import io.cozecdc.common.BoundedText;
import io.cozecdc.common.Sql;
import io.cozecdc.common.Timestamps;

/** SQL for sync_failures: the retry queue and the dead letters. */
@ApplicationScoped
public class FailureRepository {

    static final String COLUMNS = "id, config_id, log_id, table_name, record_key, operation, payload, error_code, "
            + "error_message, logid, attempts, next_attempt_at, status, captured_at, created_at, updated_at";
    static final String FIND_KEYS = "SELECT " + COLUMNS + " FROM sync_failures WHERE config_id = ? AND record_key IN ";
    /**
     * One open failure per record, holding its newest failed change: an older change never replaces a
     * newer one, even when two commits race (every assignment compares with the old log_id, which is
     * therefore updated last). A stored payload is never replaced with NULL for the same change. The
     * new values come from the derived table n, not from VALUES(), which MySQL 8.0.20+ deprecates
     * (warning 1287) and whose replacement MariaDB rejects.
     */
    static final String UPSERT = """
            INSERT INTO sync_failures (config_id, log_id, table_name, record_key, operation, payload, error_code,
                                       error_message, logid, attempts, next_attempt_at, status, captured_at,
                                       created_at, updated_at)
            SELECT * FROM (SELECT ? AS n_config_id, ? AS n_log_id, ? AS n_table_name, ? AS n_record_key,
                           ? AS n_operation, ? AS n_payload, ? AS n_error_code, ? AS n_error_message, ? AS n_logid,
                           ? AS n_attempts, ? AS n_next_attempt_at, ? AS n_status, ? AS n_captured_at,
                           ? AS n_created_at, ? AS n_updated_at) AS n
            ON DUPLICATE KEY UPDATE
                table_name = IF(n_log_id >= log_id, n_table_name, table_name),
                operation = IF(n_log_id >= log_id, n_operation, operation),
                payload = IF(n_log_id > log_id, n_payload, IF(n_log_id = log_id, COALESCE(n_payload, payload), payload)),
                error_code = IF(n_log_id >= log_id, n_error_code, error_code),
                error_message = IF(n_log_id >= log_id, n_error_message, error_message),
                logid = IF(n_log_id >= log_id, n_logid, logid),
                attempts = IF(n_log_id >= log_id, n_attempts, attempts),
                next_attempt_at = IF(n_log_id >= log_id, n_next_attempt_at, next_attempt_at),
                status = IF(n_log_id >= log_id, n_status, status),
                captured_at = IF(n_log_id >= log_id, n_captured_at, captured_at),
                updated_at = IF(n_log_id >= log_id, n_updated_at, updated_at),
                claimed_by = IF(n_log_id >= log_id, NULL, claimed_by),
                claim_expires_at = IF(n_log_id >= log_id, NULL, claim_expires_at),
                log_id = GREATEST(log_id, n_log_id)""";
    /** A newer change of the record went through: older failures of it are moot. */
    static final String RESOLVE = "DELETE FROM sync_failures WHERE config_id = ? AND record_key = ? AND log_id <= ?";
    /** Strictly older failures of the record are moot once a newer change is under way. */
    static final String RESOLVE_OLDER = "DELETE FROM sync_failures WHERE config_id = ? AND record_key = ? AND log_id < ?";
    /**
     * The change was uploaded again and Coze is processing it: not due until that ends. Kept (not
     * deleted) so a failure of the new upload counts as the next attempt, not the first.
     */
    static final String PARK = "UPDATE sync_failures SET next_attempt_at = NULL, claimed_by = NULL, claim_expires_at = NULL "
            + "WHERE config_id = ? AND record_key = ? AND log_id = ? AND status = 'RETRYING'";
    static final String CLAIM_DUE = "SELECT " + COLUMNS + " FROM sync_failures "
            + "WHERE status = 'RETRYING' AND next_attempt_at <= ? AND (claim_expires_at IS NULL OR claim_expires_at < NOW(3)) "
            + "AND config_id IN (SELECT id FROM sync_configs WHERE enabled = 1 AND status = 'ACTIVE') "
            + "ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED";
    static final String STAMP = "UPDATE sync_failures SET claimed_by = ?, "
            + "claim_expires_at = DATE_ADD(NOW(3), INTERVAL ? MICROSECOND) WHERE id IN ";
    /** Extends the lease of failures a retry round still works on (only while it holds them). */
    static final String RENEW = "UPDATE sync_failures SET claim_expires_at = DATE_ADD(NOW(3), INTERVAL ? MICROSECOND) "
            + "WHERE claimed_by = ? AND id IN ";
    static final String RELEASE = "UPDATE sync_failures SET claimed_by = NULL, claim_expires_at = NULL "
            + "WHERE claimed_by = ? AND id IN ";
    static final String RELEASE_ALL_OF = "UPDATE sync_failures SET claimed_by = NULL, claim_expires_at = NULL "
            + "WHERE LEFT(claimed_by, ?) = ?";
    static final String DUE_NOW = "UPDATE sync_failures SET next_attempt_at = ? WHERE config_id = ? AND status = 'RETRYING'";
    static final String DELETE_CONFIG = "DELETE FROM sync_failures WHERE config_id = ?";
    static final String FIND_ID = "SELECT " + COLUMNS + " FROM sync_failures WHERE id = ?";
    static final String REPLAY_ONE = "UPDATE sync_failures SET status = 'RETRYING', attempts = 0, next_attempt_at = ?, "
            + "updated_at = ?, claimed_by = NULL, claim_expires_at = NULL WHERE id = ?";
    static final String REPLAY_CONFIG = "UPDATE sync_failures SET status = 'RETRYING', attempts = 0, next_attempt_at = ?, "
            + "updated_at = ?, claimed_by = NULL, claim_expires_at = NULL WHERE config_id = ? AND (status = 'DEAD' OR next_attempt_at IS NOT NULL)";
    static final String DELETE_ID = "DELETE FROM sync_failures WHERE id = ?";
    static final String COUNTS = "SELECT config_id, status, COUNT(*) AS n FROM sync_failures GROUP BY config_id, status";
    /** Open failures because Coze failed to process the uploaded document (status 9) or never finished. */
    static final String PROCESSING_COUNTS = "SELECT config_id, COUNT(*) AS n FROM sync_failures WHERE error_code IN ("
            + FailureCodes.PROCESSING_FAILED + ", " + FailureCodes.PROCESSING_TIMEOUT + ") GROUP BY config_id";

    private final Pool pool;

    public FailureRepository(Pool pool) {
        this.pool = pool;
    }

    /** The pool, for single statements outside a transaction. */
    public Pool pool() {
        return pool;
    }

    /** Open failures of these records. */
    public Uni<Map<String, FailureRecord>> find(SqlClient client, long configId, List<String> keys) {
        if (keys.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        Tuple params = Tuple.of(configId);
        keys.forEach(params::addString);
        return client.preparedQuery(FIND_KEYS + Sql.inList(keys.size())).execute(params).map(rows -> {
            Map<String, FailureRecord> byKey = new HashMap<>();
            rows.forEach(r -> {
                FailureRecord f = from(r);
                byKey.put(f.recordKey(), f);
            });
            return byKey;
        });
    }

    /** Inserts or replaces the open failure of each record. */
    public Uni<Void> upsert(SqlClient client, List<FailureRecord> failures) {
        if (failures.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> batch = failures.stream().map(f -> Tuple.tuple().addLong(f.configId()).addLong(f.logId())
                .addString(f.tableName()).addString(f.recordKey()).addString(f.operation())
                .addString(ChangeData.write(f.payload())).addInteger(f.errorCode()).addString(BoundedText.cut(f.errorMessage(), BoundedText.ERROR_MESSAGE))
                .addString(BoundedText.cut(f.logid(), BoundedText.LOGID)).addInteger(f.attempts()).addLocalDateTime(Timestamps.toDb(f.nextAttemptAt()))
                .addString(f.status().name()).addLocalDateTime(Timestamps.toDb(f.capturedAt()))
                .addLocalDateTime(Timestamps.toDb(f.createdAt())).addLocalDateTime(Timestamps.toDb(f.updatedAt())))
                .toList();
        return client.preparedQuery(UPSERT).executeBatch(batch).replaceWithVoid();
    }

    /** Drops failures of these records up to the given change (key → log id). */
    public Uni<Void> resolve(SqlClient client, long configId, Map<String, Long> upToLogId) {
        if (upToLogId.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> batch = new ArrayList<>();
        upToLogId.forEach((key, logId) -> batch.add(Tuple.of(configId, key, logId)));
        return client.preparedQuery(RESOLVE).executeBatch(batch).replaceWithVoid();
    }

    /** Drops failures of these records older than the given change, and parks the change's own failure. */
    public Uni<Void> resolveOlderAndPark(SqlClient client, long configId, Map<String, Long> inFlight) {
        if (inFlight.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> batch = new ArrayList<>();
        inFlight.forEach((key, logId) -> batch.add(Tuple.of(configId, key, logId)));
        return client.preparedQuery(RESOLVE_OLDER).executeBatch(batch)
                .chain(() -> client.preparedQuery(PARK).executeBatch(batch))
                .replaceWithVoid();
    }

    /**
     * Claims due retries of ACTIVE configs for {@code owner} for {@code leaseUntil - now}. The claim's
     * expiry is judged and stamped with the database's clock, so replicas with skewed clocks agree.
     */
    public Uni<List<FailureRecord>> claimDue(String owner, Instant now, int limit, Instant leaseUntil) {
        long leaseMicros = Math.max(0, java.time.Duration.between(now, leaseUntil).toNanos() / 1000);
        return Sql.transaction(pool, conn -> conn.preparedQuery(CLAIM_DUE)
                .execute(Tuple.of(Timestamps.toDb(now), limit))
                .map(FailureRepository::all)
                .call(failures -> {
                    if (failures.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    Tuple params = Tuple.of(owner, leaseMicros);
                    failures.forEach(f -> params.addLong(f.id()));
                    return conn.preparedQuery(STAMP + Sql.inList(failures.size())).execute(params).replaceWithVoid();
                }));
    }

    /** Extends {@code owner}'s claim on failures it still holds to {@code NOW(3) + lease}. */
    public Uni<Void> renew(String owner, List<Long> ids, java.time.Duration lease) {
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Tuple params = Tuple.of(lease.toNanos() / 1000, owner);
        ids.forEach(params::addLong);
        return pool.preparedQuery(RENEW + Sql.inList(ids.size())).execute(params).replaceWithVoid();
    }

    /** Gives claimed failures back (the ones a retry did not replace or resolve). */
    public Uni<Void> release(String owner, List<Long> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Tuple params = Tuple.of(owner);
        ids.forEach(params::addLong);
        return pool.preparedQuery(RELEASE + Sql.inList(ids.size())).execute(params).replaceWithVoid();
    }

    /** Gives back every failure whose claim token starts with {@code prefix} (a stopping replica's); returns how many. */
    public Uni<Integer> releaseAllOf(String prefix) {
        return pool.preparedQuery(RELEASE_ALL_OF).execute(Tuple.of(prefix.length(), prefix)).map(r -> r.rowCount());
    }

    /** Makes every retrying failure of a config due now (after it recovered from ERROR). */
    public Uni<Integer> makeDueNow(long configId, Instant now) {
        return pool.preparedQuery(DUE_NOW).execute(Tuple.of(Timestamps.toDb(now), configId)).map(RowSet::rowCount);
    }

    public Uni<Integer> deleteConfig(SqlClient client, long configId) {
        return client.preparedQuery(DELETE_CONFIG).execute(Tuple.of(configId)).map(RowSet::rowCount);
    }

    /** A page of failures, newest first, optionally of one config and one status; and the total. */
    public Uni<Page> page(Long configId, FailureStatus status, int page, int size) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        Tuple params = Tuple.tuple();
        if (configId != null) {
            where.append(" AND config_id = ?");
            params.addLong(configId);
        }
        if (status != null) {
            where.append(" AND status = ?");
            params.addString(status.name());
        }
        Tuple pageParams = Tuple.tuple();
        for (int i = 0; i < params.size(); i++) {
            pageParams.addValue(params.getValue(i));
        }
        pageParams.addInteger(size).addInteger((page - 1) * size);
        return pool.preparedQuery("SELECT COUNT(*) FROM sync_failures" + where).execute(params)
                .chain(count -> pool.preparedQuery("SELECT " + COLUMNS + " FROM sync_failures" + where
                        + " ORDER BY id DESC LIMIT ? OFFSET ?").execute(pageParams)
                        .map(rows -> new Page(all(rows), count.iterator().next().getLong(0))));
    }

    /** The failure, or null. */
    public Uni<FailureRecord> findById(long id) {
        return pool.preparedQuery(FIND_ID).execute(Tuple.of(id)).map(rows -> rows.iterator().hasNext() ? from(rows.iterator().next()) : null);
    }

    /** Replays one failure now, as a fresh series of attempts; false when it does not exist. */
    public Uni<Boolean> replay(long id, Instant now) {
        return pool.preparedQuery(REPLAY_ONE).execute(Tuple.of(Timestamps.toDb(now), Timestamps.toDb(now), id)).map(r -> r.rowCount() == 1);
    }

    /** Replays every dead or waiting failure of a config now; returns how many. */
    public Uni<Integer> replayConfig(long configId, Instant now) {
        return pool.preparedQuery(REPLAY_CONFIG).execute(Tuple.of(Timestamps.toDb(now), Timestamps.toDb(now), configId))
                .map(RowSet::rowCount);
    }

    public Uni<Boolean> delete(long id) {
        return pool.preparedQuery(DELETE_ID).execute(Tuple.of(id)).map(r -> r.rowCount() == 1);
    }

    /** One page of failures. */
    public record Page(List<FailureRecord> items, long total) {
    }

    /** Open failures per config and status. */
    public Uni<Map<Long, Map<FailureStatus, Long>>> counts() {
        return pool.query(COUNTS).execute().map(rows -> {
            Map<Long, Map<FailureStatus, Long>> counts = new HashMap<>();
            rows.forEach(r -> counts.computeIfAbsent(r.getLong("config_id"), k -> new java.util.EnumMap<>(FailureStatus.class))
                    .put(FailureStatus.valueOf(r.getString("status")), r.getLong("n")));
            return counts;
        });
    }

    /** Open failures per config whose upload Coze failed to process (retrying or dead). */
    public Uni<Map<Long, Long>> processingFailureCounts() {
        return pool.query(PROCESSING_COUNTS).execute().map(rows -> {
            Map<Long, Long> counts = new HashMap<>();
            rows.forEach(r -> counts.put(r.getLong("config_id"), r.getLong("n")));
            return counts;
        });
    }

    static FailureRecord from(Row row) {
        Object payload = row.getValue("payload");
        return new FailureRecord(row.getLong("id"), row.getLong("config_id"), row.getLong("log_id"),
                row.getString("table_name"), row.getString("record_key"), row.getString("operation"),
                payload == null ? null : ChangeData.parse(payload.toString()), row.getInteger("error_code"),
                row.getString("error_message"), row.getString("logid"), row.getInteger("attempts"),
                Timestamps.fromDb(row.getLocalDateTime("next_attempt_at")), FailureStatus.valueOf(row.getString("status")),
                Timestamps.fromDb(row.getLocalDateTime("captured_at")), Timestamps.fromDb(row.getLocalDateTime("created_at")),
                Timestamps.fromDb(row.getLocalDateTime("updated_at")));
    }

    static List<FailureRecord> all(RowSet<Row> rows) {
        List<FailureRecord> failures = new ArrayList<>();
        rows.forEach(r -> failures.add(from(r)));
        return failures;
    }
}
