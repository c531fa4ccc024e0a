package io.cozecdc.fanout;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

import io.cozecdc.changelog.ChangeData;
import io.cozecdc.common.Sql;

/**
 * SQL for fanout_jobs: a fan-out is created (or started again) in the transaction that marks its change
 * processed, claimed by one worker at a time with a lease on the database's clock, advanced chunk by chunk in
 * the transaction that copies the chunk into the change log, and deleted when done.
 */
@ApplicationScoped
public class FanoutRepository {

    static final String COLUMNS = "id, config_id, relation_path, table_name, CAST(record_key AS CHAR CHARACTER SET utf8mb4) AS record_key, "
            + "join_values, source_log_id, generation, CAST(last_key AS CHAR CHARACTER SET utf8mb4) AS last_key, documents_queued";
    /** A newer change of the same row with the same join values starts the job again from the first key. */
    static final String ENQUEUE_HEAD = """
            INSERT INTO fanout_jobs (config_id, relation_path, table_name, record_key, join_values, join_hash, source_log_id)
            SELECT n_config, n_path, n_table, n_key, n_values, n_hash, n_log FROM (""";
    static final String ENQUEUE_FIRST = "SELECT ? AS n_config, ? AS n_path, ? AS n_table, CAST(? AS BINARY) AS n_key, "
            + "? AS n_values, ? AS n_hash, ? AS n_log";
    static final String ENQUEUE_NEXT = " UNION ALL SELECT ?, ?, ?, CAST(? AS BINARY), ?, ?, ?";
    static final String ENQUEUE_TAIL = """
            ) AS n
            ON DUPLICATE KEY UPDATE generation = generation + 1, last_key = NULL,
                                    source_log_id = GREATEST(source_log_id, n_log), updated_at = NOW(3)""";
    static final String CLAIM_SELECT = """
            SELECT id FROM fanout_jobs
             WHERE claim_expires_at IS NULL OR claim_expires_at < NOW(3)
             ORDER BY id
             LIMIT ?
               FOR UPDATE SKIP LOCKED""";
    static final String CLAIM_STAMP = "UPDATE fanout_jobs SET claimed_by = ?, claim_expires_at = DATE_ADD(NOW(3), INTERVAL ? MICROSECOND) "
            + "WHERE id IN ";
    static final String FIND = "SELECT " + COLUMNS + " FROM fanout_jobs WHERE id IN ";
    /** Only the holder of the job, and only while no newer change restarted it (else the chunk rolls back). */
    static final String ADVANCE = """
            UPDATE fanout_jobs SET last_key = CAST(? AS BINARY), documents_queued = documents_queued + ?, updated_at = NOW(3),
                                   claim_expires_at = DATE_ADD(NOW(3), INTERVAL ? MICROSECOND)
             WHERE id = ? AND claimed_by = ? AND generation = ?""";
    static final String FINISH = "DELETE FROM fanout_jobs WHERE id = ? AND claimed_by = ? AND generation = ?";
    static final String DROP = "DELETE FROM fanout_jobs WHERE id = ?";
    static final String DELETE_CONFIG = "DELETE FROM fanout_jobs WHERE config_id = ?";
    static final String RELEASE = "UPDATE fanout_jobs SET claimed_by = NULL, claim_expires_at = NULL WHERE claimed_by = ? AND id IN ";
    static final String STATS = "SELECT config_id, COUNT(*) AS jobs, COALESCE(SUM(documents_queued), 0) AS queued "
            + "FROM fanout_jobs GROUP BY config_id";
    /** Counts up to {@code limit} pending SNAPSHOT rows of the configuration (bounded: it only needs to know "enough"). */
    static final String PENDING_SNAPSHOTS = "SELECT COUNT(*) FROM (SELECT 1 FROM data_change_logs "
            + "WHERE processed = 0 AND target_config_id = ? LIMIT ?) AS p";

    /** Rows per ENQUEUE statement. */
    static final int ENQUEUE_ROWS = 100;

    private final Pool pool;

    public FanoutRepository(Pool pool) {
        this.pool = pool;
    }

    public Pool pool() {
        return pool;
    }

    /** Creates the fan-outs on {@code client} (the transaction that marks their changes processed). */
    public Uni<Void> enqueue(SqlClient client, List<FanoutJob.New> jobs) {
        Uni<Void> all = Uni.createFrom().voidItem();
        for (List<FanoutJob.New> part : Sql.chunks(jobs, ENQUEUE_ROWS)) {
            StringBuilder sql = new StringBuilder(ENQUEUE_HEAD).append(ENQUEUE_FIRST);
            Tuple params = Tuple.tuple();
            for (int i = 0; i < part.size(); i++) {
                if (i > 0) {
                    sql.append(ENQUEUE_NEXT);
                }
                FanoutJob.New job = part.get(i);
                String values = ChangeData.write(job.joinValues());
                params.addLong(job.configId()).addString(job.relationPath()).addString(job.table()).addString(job.recordKey())
                        .addString(values).addString(sha256(values)).addLong(job.sourceLogId());
            }
            String statement = sql.append(ENQUEUE_TAIL).toString();
            all = all.chain(() -> client.preparedQuery(statement).execute(params).replaceWithVoid());
        }
        return all;
    }

    /** Claims up to {@code limit} fan-outs nobody holds for {@code owner}, for {@code lease} (database clock). */
    public Uni<List<FanoutJob>> claim(String owner, int limit, java.time.Duration lease) {
        long micros = lease.toNanos() / 1000;
        return pool.withTransaction(conn -> conn.preparedQuery(CLAIM_SELECT).execute(Tuple.of(limit)).chain(rows -> {
            List<Long> ids = new ArrayList<>();
            rows.forEach(r -> ids.add(r.getLong(0)));
            if (ids.isEmpty()) {
                return Uni.createFrom().item(List.<FanoutJob>of());
            }
            Tuple stamp = Tuple.of(owner, micros);
            ids.forEach(stamp::addLong);
            Tuple find = Tuple.tuple();
            ids.forEach(find::addLong);
            return conn.preparedQuery(CLAIM_STAMP + Sql.inList(ids.size())).execute(stamp)
                    .chain(() -> conn.preparedQuery(FIND + Sql.inList(ids.size()) + " ORDER BY id").execute(find))
                    .map(found -> {
                        List<FanoutJob> jobs = new ArrayList<>();
                        found.forEach(r -> jobs.add(from(r)));
                        return jobs;
                    });
        }));
    }

    /**
     * Records a copied chunk on {@code conn} (the transaction that copied it) and renews the lease; false when
     * the job is no longer this owner's or a newer change restarted it: the caller must then roll back.
     */
    public Uni<Boolean> advance(SqlConnection conn, FanoutJob job, String owner, String lastKey, long copied,
            java.time.Duration lease) {
        return conn.preparedQuery(ADVANCE)
                .execute(Tuple.of(lastKey, copied, lease.toNanos() / 1000, job.id(), owner, job.generation()))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Deletes a finished job, unless a newer change restarted it meanwhile; true when deleted. */
    public Uni<Boolean> finish(FanoutJob job, String owner) {
        return pool.preparedQuery(FINISH).execute(Tuple.of(job.id(), owner, job.generation())).map(rows -> rows.rowCount() == 1);
    }

    /** Deletes a job that has nothing to do any more (its configuration or relation is gone). */
    public Uni<Void> drop(long id) {
        return pool.preparedQuery(DROP).execute(Tuple.of(id)).replaceWithVoid();
    }

    /** Deletes every job of a configuration, on {@code client} (the configuration's delete). */
    public Uni<Void> deleteConfig(SqlClient client, long configId) {
        return client.preparedQuery(DELETE_CONFIG).execute(Tuple.of(configId)).replaceWithVoid();
    }

    /** Gives jobs back at once so any worker can take them. */
    public Uni<Void> release(String owner, List<Long> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Tuple params = Tuple.of(owner);
        ids.forEach(params::addLong);
        return pool.preparedQuery(RELEASE + Sql.inList(ids.size())).execute(params).replaceWithVoid();
    }

    /** Pending SNAPSHOT rows of the configuration, counted up to {@code limit}. */
    public Uni<Long> pendingSnapshots(long configId, int limit) {
        return pool.preparedQuery(PENDING_SNAPSHOTS).execute(Tuple.of(configId, limit))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /** Open fan-outs per configuration, and the documents they have queued so far. */
    public Uni<Map<Long, Progress>> progress() {
        return pool.query(STATS).execute().map(rows -> {
            Map<Long, Progress> result = new HashMap<>();
            rows.forEach(r -> result.put(r.getLong("config_id"), new Progress(r.getLong("jobs"), r.getLong("queued"))));
            return result;
        });
    }

    static FanoutJob from(Row row) {
        return new FanoutJob(row.getLong("id"), row.getLong("config_id"), row.getString("relation_path"), row.getString("table_name"),
                row.getString("record_key"), ChangeData.parse(row.getString("join_values")), row.getLong("source_log_id"),
                row.getInteger("generation"), row.getString("last_key"), row.getLong("documents_queued"));
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /**
     * Open fan-outs of a configuration.
     *
     * @param jobs            fan-outs not finished yet
     * @param documentsQueued documents they have copied into the change log so far
     */
    public record Progress(long jobs, long documentsQueued) {
    }
}
