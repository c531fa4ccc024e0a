package io.cozecdc.capture;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

import io.cozecdc.common.Timestamps;

/** SQL for capture_tables: the tables whose triggers the service manages. */
@ApplicationScoped
public class CaptureTableRepository {

    /**
     * An upsert in the form both servers accept without a warning: the new values come from a derived
     * table ({@code n}) instead of VALUES(), which MySQL 8.0.20+ deprecates (warning 1287 on every run)
     * and whose replacement ({@code AS new}) MariaDB rejects.
     */
    static final String UPSERT = """
            INSERT INTO capture_tables (table_name, key_column, columns_hash, triggers_hash, installed_at)
            SELECT * FROM (SELECT ? AS n_table_name, ? AS n_key_column, ? AS n_columns_hash, ? AS n_triggers_hash,
                                  ? AS n_installed_at) AS n
            ON DUPLICATE KEY UPDATE key_column = n_key_column, columns_hash = n_columns_hash,
                                    triggers_hash = n_triggers_hash, installed_at = n_installed_at""";
    static final String DELETE = "DELETE FROM capture_tables WHERE table_name = ?";
    static final String FIND_ALL = """
            SELECT table_name, key_column, columns_hash, triggers_hash, installed_at FROM capture_tables ORDER BY table_name""";
    static final String FIND = """
            SELECT table_name, key_column, columns_hash, triggers_hash, installed_at FROM capture_tables WHERE table_name = ?""";

    private final Pool pool;

    public CaptureTableRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Void> save(CapturedTable table) {
        return pool.preparedQuery(UPSERT)
                .execute(Tuple.of(table.table(), table.keyColumn(), table.columnsHash(), table.triggersHash(),
                        Timestamps.toDb(table.installedAt())))
                .replaceWithVoid();
    }

    /** Forgets a table; true when it was captured. */
    public Uni<Boolean> delete(String table) {
        return pool.preparedQuery(DELETE).execute(Tuple.of(table)).map(rows -> rows.rowCount() > 0);
    }

    public Uni<List<CapturedTable>> findAll() {
        return pool.query(FIND_ALL).execute().map(rows -> {
            List<CapturedTable> tables = new ArrayList<>();
            rows.forEach(row -> tables.add(from(row)));
            return tables;
        });
    }

    /** The captured table, or null when it is not captured. */
    public Uni<CapturedTable> find(String table) {
        return pool.preparedQuery(FIND).execute(Tuple.of(table))
                .map(rows -> rows.iterator().hasNext() ? from(rows.iterator().next()) : null);
    }

    static CapturedTable from(Row row) {
        return new CapturedTable(row.getString("table_name"), row.getString("key_column"),
                row.getString("columns_hash"), row.getString("triggers_hash"), Timestamps.fromDb(row.getLocalDateTime("installed_at")));
    }
}
