package io.cozecdc.configs;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

import io.cozecdc.common.BoundedText;
import io.cozecdc.common.Timestamps;

/** SQL for sync_configs. */
@ApplicationScoped
public class SyncConfigRepository {

    static final String COLUMNS = "id, name, table_name, dataset_id, fields, template, enabled, status, status_reason, "
            + "created_at, updated_at, related";
    static final String FIND_ENABLED = "SELECT " + COLUMNS + " FROM sync_configs WHERE enabled = 1 ORDER BY id";
    static final String FIND_ALL = "SELECT " + COLUMNS + " FROM sync_configs ORDER BY id";
    static final String FIND_BY_ID = "SELECT " + COLUMNS + " FROM sync_configs WHERE id = ?";
    static final String FIND_BY_NAME = "SELECT " + COLUMNS + " FROM sync_configs WHERE name = ?";
    static final String INSERT = """
            INSERT INTO sync_configs (name, table_name, dataset_id, fields, template, enabled, status, status_reason,
                                      created_at, updated_at, related)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
    static final String UPDATE = """
            UPDATE sync_configs SET name = ?, table_name = ?, dataset_id = ?, fields = ?, template = ?, enabled = ?,
                                    status = ?, status_reason = ?, updated_at = ?, related = ?
             WHERE id = ?""";
    static final String SET_STATUS = "UPDATE sync_configs SET status = ?, status_reason = ?, updated_at = ? WHERE id = ?";
    /** Moves a config out of ERROR only if it is still in ERROR (a concurrent edit wins). */
    static final String CLEAR_ERROR = """
            UPDATE sync_configs SET status = 'ACTIVE', status_reason = NULL, updated_at = ?
             WHERE id = ? AND status = 'ERROR' AND enabled = 1""";
    static final String DELETE = "DELETE FROM sync_configs WHERE id = ?";
    /** Held by every commit of a config's work until it ends; a delete waits for it (and the reverse). */
    static final String LOCK_SHARED = "SELECT id FROM sync_configs WHERE id = ? LOCK IN SHARE MODE";
    static final String LOCK_EXCLUSIVE = "SELECT id FROM sync_configs WHERE id = ? FOR UPDATE";
    /**
     * A version of the whole table computed by the database from its content: every write of a config
     * (create, edit, enable, disable, ERROR and back, delete) changes it, whatever the clock of the
     * replica that made it (updated_at comes from that clock, so MAX(updated_at) could miss an edit).
     */
    static final String LAST_CHANGE = "SELECT COUNT(*), COALESCE(SUM(CRC32(CONCAT_WS('|', id, name, table_name, "
            + "dataset_id, fields, COALESCE(template, '-'), enabled, status, COALESCE(status_reason, '-'), updated_at, "
            + "COALESCE(related, '-')))), 0) "
            + "FROM sync_configs";

    private final Pool pool;

    public SyncConfigRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<SyncConfig>> findEnabled() {
        return pool.query(FIND_ENABLED).execute().map(SyncConfigRepository::all);
    }

    public Uni<List<SyncConfig>> findAll() {
        return pool.query(FIND_ALL).execute().map(SyncConfigRepository::all);
    }

    /** The config, or null. */
    public Uni<SyncConfig> findById(long id) {
        return pool.preparedQuery(FIND_BY_ID).execute(Tuple.of(id)).map(SyncConfigRepository::first);
    }

    /** The config, or null. */
    public Uni<SyncConfig> findByName(String name) {
        return pool.preparedQuery(FIND_BY_NAME).execute(Tuple.of(name)).map(SyncConfigRepository::first);
    }

    /** Inserts a config and returns it with its new id. */
    public Uni<SyncConfig> insert(SqlClient client, SyncConfig c) {
        Tuple params = Tuple.tuple().addString(c.name()).addString(c.tableName()).addLong(c.datasetId())
                .addString(fieldsJson(c.fields())).addString(c.template()).addBoolean(c.enabled())
                .addString(c.status().name()).addString(BoundedText.cut(c.statusReason(), BoundedText.REASON))
                .addLocalDateTime(Timestamps.toDb(c.createdAt())).addLocalDateTime(Timestamps.toDb(c.updatedAt()))
                .addString(RelationsJson.encode(c.related()));
        return client.preparedQuery(INSERT).execute(params).map(rows -> {
            long id = rows.property(io.vertx.mutiny.mysqlclient.MySQLClient.LAST_INSERTED_ID);
            return new SyncConfig(id, c.name(), c.tableName(), c.datasetId(), c.fields(), c.template(), c.enabled(),
                    c.status(), c.statusReason(), c.createdAt(), c.updatedAt(), c.related());
        });
    }

    /** Writes every column of an existing config; false when it no longer exists. */
    public Uni<Boolean> update(SqlClient client, SyncConfig c) {
        Tuple params = Tuple.tuple().addString(c.name()).addString(c.tableName()).addLong(c.datasetId())
                .addString(fieldsJson(c.fields())).addString(c.template()).addBoolean(c.enabled())
                .addString(c.status().name()).addString(BoundedText.cut(c.statusReason(), BoundedText.REASON))
                .addLocalDateTime(Timestamps.toDb(c.updatedAt())).addString(RelationsJson.encode(c.related()))
                .addLong(c.id());
        return client.preparedQuery(UPDATE).execute(params).map(rows -> rows.rowCount() > 0);
    }

    /** Only {@link ConfigLifecycle} changes a status. */
    Uni<Void> setStatus(long id, ConfigStatus status, String reason, Instant at) {
        return pool.preparedQuery(SET_STATUS).execute(Tuple.of(status.name(), BoundedText.cut(reason, BoundedText.REASON), Timestamps.toDb(at), id))
                .replaceWithVoid();
    }

    /** ERROR → ACTIVE; true when the config was in ERROR. Only {@link ConfigLifecycle} changes a status. */
    Uni<Boolean> clearError(long id, Instant at) {
        return pool.preparedQuery(CLEAR_ERROR).execute(Tuple.of(Timestamps.toDb(at), id)).map(r -> r.rowCount() > 0);
    }

    /**
     * Share-locks the config's row in the caller's transaction; false when the config no longer exists.
     * A delete (which locks the row exclusively first, {@link #lockForDelete}) waits until the caller's
     * transaction ends, and the caller waits for a delete in progress and then sees the config gone.
     */
    public Uni<Boolean> lockShared(SqlClient client, long id) {
        return client.preparedQuery(LOCK_SHARED).execute(Tuple.of(id)).map(rows -> rows.iterator().hasNext());
    }

    /** Locks the config's row exclusively in the caller's transaction, before deleting it and its state. */
    public Uni<Boolean> lockForDelete(SqlClient client, long id) {
        return client.preparedQuery(LOCK_EXCLUSIVE).execute(Tuple.of(id)).map(rows -> rows.iterator().hasNext());
    }

    public Uni<Boolean> delete(SqlClient client, long id) {
        return client.preparedQuery(DELETE).execute(Tuple.of(id)).map(rows -> rows.rowCount() > 0);
    }

    /** A cheap fingerprint of the table: changes whenever a config is added, edited or removed (see LAST_CHANGE). */
    public Uni<String> fingerprint() {
        return pool.query(LAST_CHANGE).execute().map(rows -> {
            Row row = rows.iterator().next();
            return row.getValue(0) + "@" + row.getValue(1);
        });
    }

    static String fieldsJson(List<String> fields) {
        return new JsonArray(new ArrayList<>(fields)).encode();
    }

    static SyncConfig from(Row row) {
        Object rawFields = row.getValue("fields");
        List<String> fields = new ArrayList<>();
        if (rawFields != null) {
            JsonArray array = rawFields instanceof JsonArray a ? a : new JsonArray(rawFields.toString());
            array.forEach(f -> fields.add(String.valueOf(f)));
        }
        return new SyncConfig(row.getLong("id"), row.getString("name"), row.getString("table_name"),
                row.getLong("dataset_id"), fields, row.getString("template"), row.getBoolean("enabled"),
                ConfigStatus.valueOf(row.getString("status")), row.getString("status_reason"),
                Timestamps.fromDb(row.getLocalDateTime("created_at")), Timestamps.fromDb(row.getLocalDateTime("updated_at")),
                RelationsJson.decode(row.getValue("related")));
    }

    private static List<SyncConfig> all(RowSet<Row> rows) {
        List<SyncConfig> configs = new ArrayList<>();
        rows.forEach(row -> configs.add(from(row)));
        return configs;
    }

    private static SyncConfig first(RowSet<Row> rows) {
        var it = rows.iterator();
        return it.hasNext() ? from(it.next()) : null;
    }
}
