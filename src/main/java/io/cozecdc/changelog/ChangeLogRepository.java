package io.cozecdc.changelog;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.cozecdc.common.Timestamps;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** SQL for data_change_logs: pending statistics and cleanup. */
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

    private final Pool pool;

    public ChangeLogRepository(Pool pool) {
        this.pool = pool;
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

    /** Pending figures of one table as read. */
    public record PendingRow(String table, long count, java.time.Instant oldest) {
    }
}
