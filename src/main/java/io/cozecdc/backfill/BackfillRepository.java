package io.cozecdc.backfill;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

import io.cozecdc.capture.SqlText;
import io.cozecdc.capture.TableSchema;
import io.cozecdc.capture.TriggerSqlGenerator;
import io.cozecdc.changelog.ChangeLogRepository;
import io.cozecdc.common.BoundedText;
import io.cozecdc.common.Sql;
import io.cozecdc.common.Timestamps;

/** SQL for backfill_jobs, and the key-ordered copy of a table's rows into the change log. */
@ApplicationScoped
public class BackfillRepository {

    static final String COLUMNS = "config_id, state, rows_total, rows_done, last_key, error, started_at, finished_at, updated_at";
    /** An upsert without VALUES() (deprecated on MySQL 8.0.20+): the new values come from the derived table n. */
    static final String START = """
            INSERT INTO backfill_jobs (config_id, state, rows_total, rows_done, last_key, error, started_at, finished_at,
                                       updated_at, claimed_by, claim_expires_at)
            SELECT n_config_id, 'RUNNING', n_rows_total, 0, NULL, NULL, n_started_at, NULL, n_updated_at, NULL, NULL
              FROM (SELECT ? AS n_config_id, ? AS n_rows_total, ? AS n_started_at, ? AS n_updated_at) AS n
            ON DUPLICATE KEY UPDATE state = 'RUNNING', rows_total = n_rows_total, rows_done = 0, last_key = NULL,
                                    error = NULL, started_at = n_started_at, finished_at = NULL,
                                    updated_at = n_updated_at, claimed_by = NULL, claim_expires_at = NULL""";
    static final String FIND = "SELECT " + COLUMNS + " FROM backfill_jobs WHERE config_id = ?";
    static final String FIND_ALL = "SELECT " + COLUMNS + " FROM backfill_jobs";
    /** Takes a running job nobody holds; the lease makes a dead replica's job come back. */
    static final String CLAIM = """
            UPDATE backfill_jobs SET claimed_by = ?, claim_expires_at = DATE_ADD(NOW(3), INTERVAL ? MICROSECOND)
             WHERE config_id = ? AND state = 'RUNNING' AND (claim_expires_at IS NULL OR claim_expires_at < NOW(3) OR claimed_by = ?)""";
    static final String RUNNING = "SELECT config_id FROM backfill_jobs WHERE state = 'RUNNING' AND "
            + "(claim_expires_at IS NULL OR claim_expires_at < NOW(3) OR claimed_by = ?) ORDER BY updated_at";
    static final String ADVANCE = """
            UPDATE backfill_jobs SET rows_done = rows_done + ?, last_key = ?, updated_at = ?
             WHERE config_id = ? AND state = 'RUNNING' AND claimed_by = ?""";
    static final String FINISH = """
            UPDATE backfill_jobs SET state = ?, error = ?, finished_at = ?, updated_at = ?, claimed_by = NULL,
                                     claim_expires_at = NULL
             WHERE config_id = ? AND state = 'RUNNING'""";
    static final String DELETE = "DELETE FROM backfill_jobs WHERE config_id = ?";
    static final String PENDING_SNAPSHOTS = "SELECT COUNT(*) FROM data_change_logs WHERE processed = 0 AND target_config_id = ?";

    private final Pool pool;
    private final ChangeLogRepository changeLog;

    public BackfillRepository(Pool pool, ChangeLogRepository changeLog) {
        this.pool = pool;
        this.changeLog = changeLog;
    }

    /** Starts (or restarts from the beginning) the config's backfill. */
    public Uni<Void> start(long configId, long rowsTotal, Instant now) {
        return pool.preparedQuery(START).execute(Tuple.of(configId, rowsTotal, Timestamps.toDb(now), Timestamps.toDb(now)))
                .replaceWithVoid();
    }

    /** The job, or null. */
    public Uni<BackfillJob> find(long configId) {
        return pool.preparedQuery(FIND).execute(Tuple.of(configId))
                .map(rows -> rows.iterator().hasNext() ? from(rows.iterator().next()) : null);
    }

    public Uni<List<BackfillJob>> findAll() {
        return pool.query(FIND_ALL).execute().map(rows -> {
            List<BackfillJob> jobs = new ArrayList<>();
            rows.forEach(r -> jobs.add(from(r)));
            return jobs;
        });
    }

    /** Config ids of running jobs that nobody else holds now (the database's clock decides). */
    public Uni<List<Long>> runnable(String owner, Instant now) {
        return pool.preparedQuery(RUNNING).execute(Tuple.of(owner)).map(rows -> {
            List<Long> ids = new ArrayList<>();
            rows.forEach(r -> ids.add(r.getLong(0)));
            return ids;
        });
    }

    /** True when {@code owner} now holds the job for {@code until - now} (stamped and judged on the database's clock). */
    public Uni<Boolean> claim(long configId, String owner, Instant now, Instant until) {
        long micros = Math.max(0, java.time.Duration.between(now, until).toNanos() / 1000);
        return pool.preparedQuery(CLAIM)
                .execute(Tuple.of(owner, micros, configId, owner))
                .map(rows -> rows.rowCount() == 1);
    }

    public Uni<Void> advance(long configId, String owner, long rows, String lastKey, Instant now) {
        return pool.preparedQuery(ADVANCE).execute(Tuple.of(rows, lastKey, Timestamps.toDb(now), configId, owner))
                .replaceWithVoid();
    }

    /** Ends a running job; false when it was not running. */
    public Uni<Boolean> finish(long configId, BackfillState state, String error, Instant now) {
        return pool.preparedQuery(FINISH)
                .execute(Tuple.of(state.name(), BoundedText.cut(error, BoundedText.REASON), Timestamps.toDb(now), Timestamps.toDb(now), configId))
                .map(rows -> rows.rowCount() == 1);
    }

    public Uni<Void> delete(SqlClient client, long configId) {
        return client.preparedQuery(DELETE).execute(Tuple.of(configId)).replaceWithVoid();
    }

    public Uni<Long> pendingSnapshots(long configId) {
        return pool.preparedQuery(PENDING_SNAPSHOTS).execute(Tuple.of(configId)).map(rows -> rows.iterator().next().getLong(0));
    }

    /** Rows in the table now (the progress total). */
    public Uni<Long> countRows(TableSchema schema) {
        return pool.query("SELECT COUNT(*) FROM " + SqlText.identifier(schema.table())).execute()
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /**
     * Copies the next rows after {@code lastKey} (all from the start when null), at most
     * {@code limit}, in key order, into data_change_logs as SNAPSHOT rows for the config. Returns the
     * number copied and the last key copied.
     * <p>
     * The copy must wait for open transactions that write those rows: their trigger rows already have
     * their (lower) ids, so a copy of the rows' old state would win over them (and bring a deleted row
     * back). Our sessions run at READ COMMITTED, where the SELECT of an {@code INSERT … SELECT} is a
     * non-locking consistent read on MySQL 8 and MariaDB alike, so one transaction first share-locks the
     * range ({@code LOCK IN SHARE MODE}, accepted by both servers), which waits for those writers, and
     * then copies it, reading their committed result; the locks keep new writers out until the copy is
     * committed, so each of them gets a higher id than the snapshot.
     */
    public Uni<Chunk> copyNext(TableSchema schema, long configId, String lastKey, int limit) {
        String table = SqlText.identifier(schema.table());
        String key = "t." + SqlText.identifier(schema.key().name());
        String keyParam = keyParameter(schema);
        String after = lastKey == null ? "" : " WHERE " + key + " > " + keyParam;
        String boundary = "SELECT " + TriggerSqlGenerator.keyExpression(schema, "t") + " FROM " + table + " t" + after
                + " ORDER BY " + key + " LIMIT 1 OFFSET " + (limit - 1);
        String last = "SELECT " + TriggerSqlGenerator.keyExpression(schema, "t") + " FROM " + table + " t" + after
                + " ORDER BY " + key + " DESC LIMIT 1";
        Tuple afterParams = lastKey == null ? Tuple.tuple() : Tuple.of(lastKey);
        return pool.preparedQuery(boundary).execute(afterParams)
                .chain(rows -> rows.iterator().hasNext() ? Uni.createFrom().item(rows)
                        : pool.preparedQuery(last).execute(afterParams))
                .chain(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return Uni.createFrom().item(new Chunk(0, lastKey));
                    }
                    String upTo = rows.iterator().next().getString(0);
                    String range = (lastKey == null ? "" : key + " > " + keyParam + " AND ") + key + " <= " + keyParam;
                    String lock = "SELECT " + key + " FROM " + table + " t WHERE " + range + " ORDER BY " + key
                            + " LOCK IN SHARE MODE";
                    Tuple rangeParams = lastKey == null ? Tuple.of(upTo) : Tuple.of(lastKey, upTo);
                    String select = "SELECT " + SqlText.literal(schema.table()) + ", " + TriggerSqlGenerator.keyExpression(schema, "t")
                            + ", 'SNAPSHOT', " + TriggerSqlGenerator.rowJsonExpression(schema, "t") + ", ? FROM " + table + " t WHERE "
                            + (lastKey == null ? "" : key + " > " + keyParam + " AND ") + key + " <= " + keyParam
                            + " ORDER BY " + key;
                    Tuple params = Tuple.of(configId);
                    if (lastKey != null) {
                        params.addString(lastKey);
                    }
                    params.addString(upTo);
                    return Sql.transaction(pool, conn -> conn.preparedQuery(lock).execute(rangeParams)
                            .chain(() -> changeLog.insertSnapshots(conn, select, params)))
                            .map(n -> new Chunk(n, upTo));
                });
    }

    /**
     * How a key given as text is compared with the key column: integers as integers (a string would
     * be compared as a double and lose precision past 2^53), binary keys from hex, text as text.
     */
    public static String keyParameter(TableSchema schema) {
        return TriggerSqlGenerator.keyParameter(schema);
    }

    static BackfillJob from(Row row) {
        return new BackfillJob(row.getLong("config_id"), BackfillState.valueOf(row.getString("state")), row.getLong("rows_total"),
                row.getLong("rows_done"), row.getString("last_key"), row.getString("error"),
                Timestamps.fromDb(row.getLocalDateTime("started_at")), Timestamps.fromDb(row.getLocalDateTime("finished_at")),
                Timestamps.fromDb(row.getLocalDateTime("updated_at")));
    }

    /** One copied chunk. */
    public record Chunk(long rows, String lastKey) {
    }
}
