package io.cozecdc.sync.documents;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

import io.cozecdc.common.Sql;
import io.cozecdc.common.Timestamps;

/** SQL for synced_documents: the row → document map and its version guard. */
@ApplicationScoped
public class SyncedDocumentRepository {

    static final String COLUMNS = "config_id, record_key, document_id, content_hash, last_log_id, deleted, "
            + "pending_document_id, pending_content_hash";
    static final String FIND = "SELECT " + COLUMNS + " FROM synced_documents WHERE config_id = ? AND record_key IN ";
    /** Placeholder rows so every record can be locked, even one never synced before. */
    static final String ENSURE = "INSERT IGNORE INTO synced_documents (config_id, record_key, last_log_id, updated_at) VALUES ";
    static final String SAVE = """
            UPDATE synced_documents SET document_id = ?, content_hash = ?, last_log_id = ?, deleted = ?,
                                        pending_document_id = ?, pending_content_hash = ?, updated_at = ?
             WHERE config_id = ? AND record_key = ?""";
    static final String DELETE_CONFIG = "DELETE FROM synced_documents WHERE config_id = ?";
    static final String COUNT_LIVE = "SELECT COUNT(*) FROM synced_documents WHERE config_id = ? AND document_id IS NOT NULL";
    static final String LIVE_DOCUMENTS = """
            SELECT document_id FROM synced_documents WHERE config_id = ? AND document_id IS NOT NULL""";

    /** Current state of the records (absent ones are not in the map). No lock. */
    public Uni<Map<String, RecordMapping>> find(SqlClient client, long configId, List<String> keys) {
        if (keys.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        Tuple params = Tuple.of(configId);
        keys.forEach(params::addString);
        return client.preparedQuery(FIND + Sql.inList(keys.size())).execute(params).map(SyncedDocumentRepository::byKey);
    }

    /**
     * Locks the records' rows for the rest of the transaction and returns their state, creating empty
     * rows for records never synced. Existing rows are locked first (so no shared lock from a
     * duplicate-key check is ever upgraded), in key order so concurrent transactions agree.
     */
    public Uni<Map<String, RecordMapping>> lock(SqlConnection conn, long configId, List<String> keys, java.time.Instant now) {
        if (keys.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        List<String> sorted = keys.stream().distinct().sorted().toList();
        return lockExisting(conn, configId, sorted).chain(existing -> {
            List<String> missing = sorted.stream().filter(k -> !existing.containsKey(k)).toList();
            if (missing.isEmpty()) {
                return Uni.createFrom().item(existing);
            }
            Tuple ensure = Tuple.tuple();
            for (String key : missing) {
                ensure.addLong(configId).addString(key).addLong(0L).addLocalDateTime(Timestamps.toDb(now));
            }
            return conn.preparedQuery(ENSURE + Sql.rows(missing.size(), 4)).execute(ensure)
                    .chain(() -> lockExisting(conn, configId, missing))
                    .map(created -> {
                        Map<String, RecordMapping> all = new HashMap<>(existing);
                        all.putAll(created);
                        return all;
                    });
        });
    }

    private Uni<Map<String, RecordMapping>> lockExisting(SqlConnection conn, long configId, List<String> sortedKeys) {
        Tuple find = Tuple.of(configId);
        sortedKeys.forEach(find::addString);
        return conn.preparedQuery(FIND + Sql.inList(sortedKeys.size()) + " ORDER BY record_key FOR UPDATE").execute(find)
                .map(SyncedDocumentRepository::byKey);
    }

    /** Writes the given states (rows must exist: see {@link #lock}). */
    public Uni<Void> save(SqlConnection conn, List<RecordMapping> states, java.time.Instant now) {
        if (states.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> batch = new ArrayList<>();
        for (RecordMapping s : states) {
            batch.add(Tuple.tuple().addString(s.documentId()).addString(s.contentHash()).addLong(s.lastLogId())
                    .addBoolean(s.deleted()).addString(s.pendingDocumentId()).addString(s.pendingContentHash())
                    .addLocalDateTime(Timestamps.toDb(now)).addLong(s.configId()).addString(s.recordKey()));
        }
        return conn.preparedQuery(SAVE).executeBatch(batch).replaceWithVoid();
    }

    /** Locks the rows of the records that have one (absent ones are not in the map; nothing is created). */
    public Uni<Map<String, RecordMapping>> lockIfPresent(SqlConnection conn, long configId, List<String> keys) {
        if (keys.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return lockExisting(conn, configId, keys.stream().distinct().sorted().toList());
    }

    /** Locks one record's row if it exists; null when it does not (nothing is created). */
    public Uni<RecordMapping> lockIfPresent(SqlConnection conn, long configId, String key) {
        return lockExisting(conn, configId, List.of(key)).map(states -> states.get(key));
    }

    /** Rows of a config that have a processed document in Coze. */
    public Uni<Long> countLive(SqlClient client, long configId) {
        return client.preparedQuery(COUNT_LIVE).execute(Tuple.of(configId)).map(rows -> rows.iterator().next().getLong(0));
    }

    public Uni<Integer> deleteConfig(SqlClient client, long configId) {
        return client.preparedQuery(DELETE_CONFIG).execute(Tuple.of(configId)).map(RowSet::rowCount);
    }

    static RecordMapping from(Row row) {
        return new RecordMapping(row.getLong("config_id"), row.getString("record_key"), row.getString("document_id"),
                row.getString("content_hash"), row.getLong("last_log_id"), row.getBoolean("deleted"),
                row.getString("pending_document_id"), row.getString("pending_content_hash"));
    }

    private static Map<String, RecordMapping> byKey(RowSet<Row> rows) {
        Map<String, RecordMapping> states = new HashMap<>();
        rows.forEach(row -> {
            RecordMapping s = from(row);
            states.put(s.recordKey(), s);
        });
        return states;
    }
}
