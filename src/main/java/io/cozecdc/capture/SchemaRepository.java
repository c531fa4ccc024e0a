package io.cozecdc.capture;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Reads table, column, key and trigger definitions from information_schema, and runs the trigger DDL.
 * Every name is passed as a bound parameter; identifiers in DDL come from information_schema itself.
 */
@ApplicationScoped
public class SchemaRepository {

    static final String FIND_TABLE = """
            SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES
             WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?""";
    static final String COLUMNS = """
            SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, ORDINAL_POSITION, EXTRA FROM information_schema.COLUMNS
             WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?
             ORDER BY ORDINAL_POSITION""";
    static final String PRIMARY_KEY = """
            SELECT COLUMN_NAME FROM information_schema.STATISTICS
             WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND INDEX_NAME = 'PRIMARY'
             ORDER BY SEQ_IN_INDEX""";
    /** Every index with its columns in order; both MariaDB 10.6+ and MySQL 8 have these columns. */
    static final String INDEXES = """
            SELECT INDEX_NAME, NON_UNIQUE, COLUMN_NAME FROM information_schema.STATISTICS
             WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?
             ORDER BY INDEX_NAME, SEQ_IN_INDEX""";
    static final String TRIGGERS = """
            SELECT TRIGGER_NAME, EVENT_MANIPULATION, ACTION_STATEMENT FROM information_schema.TRIGGERS
             WHERE TRIGGER_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = ?""";
    static final String BASE_TABLES = """
            SELECT TABLE_NAME FROM information_schema.TABLES
             WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'
             ORDER BY TABLE_NAME""";
    /**
     * Seconds LOCK TABLES may wait for the table's metadata lock before the swap gives up (error 1205)
     * and is tried again later. The server default is a year on MySQL and a day on MariaDB: behind a long
     * business transaction the pending lock would queue every new statement on the table for that long.
     */
    static final int LOCK_WAIT_SECONDS = 5;
    static final String SHORT_LOCK_WAIT = "SET SESSION lock_wait_timeout = " + LOCK_WAIT_SECONDS;
    static final String DEFAULT_LOCK_WAIT = "SET SESSION lock_wait_timeout = DEFAULT";

    private final Pool pool;

    public SchemaRepository(Pool pool) {
        this.pool = pool;
    }

    /** The exact name and type (BASE TABLE, VIEW, …) of a table, or null when it does not exist. */
    public Uni<TableRef> findTable(String table) {
        if (!possibleName(table)) {
            // no table can have this name; information_schema (utf8mb3) would even refuse to compare it
            return Uni.createFrom().nullItem();
        }
        return pool.preparedQuery(FIND_TABLE).execute(Tuple.of(table))
                .map(rows -> first(rows) == null ? null
                        : new TableRef(first(rows).getString(0), first(rows).getString(1)));
    }

    /**
     * Whether a table could have this name: MySQL and MariaDB identifiers are at most 64 characters of
     * the Basic Multilingual Plane, without U+0000.
     */
    static boolean possibleName(String name) {
        return name != null && !name.isEmpty() && name.codePointCount(0, name.length()) <= 64
                && name.codePoints().allMatch(cp -> cp > 0 && cp <= 0xFFFF);
    }

    /** Columns of a table in ordinal order; empty when the table does not exist. */
    public Uni<List<ColumnInfo>> columns(String table) {
        return pool.preparedQuery(COLUMNS).execute(Tuple.of(table)).map(rows -> {
            List<ColumnInfo> columns = new java.util.ArrayList<>();
            for (Row row : rows) {
                columns.add(new ColumnInfo(row.getString(0), row.getString(1), row.getString(2),
                        row.getValue(3) instanceof Number n ? n.intValue() : Integer.parseInt(row.getValue(3).toString()),
                        // MySQL 8: "on update CURRENT_TIMESTAMP" (maybe after DEFAULT_GENERATED); MariaDB: "on update current_timestamp()"
                        row.getValue(4) != null && row.getValue(4).toString().toLowerCase(java.util.Locale.ROOT).contains("on update")));
            }
            return columns;
        });
    }

    /** Primary-key column names in key order; empty when the table has no primary key. */
    public Uni<List<String>> primaryKey(String table) {
        return pool.preparedQuery(PRIMARY_KEY).execute(Tuple.of(table)).map(SchemaRepository::strings);
    }

    /** Every index of a table (the primary key as {@code PRIMARY}), each with its columns in index order. */
    public Uni<List<IndexInfo>> indexes(String table) {
        return pool.preparedQuery(INDEXES).execute(Tuple.of(table)).map(rows -> {
            java.util.Map<String, IndexInfo> byName = new java.util.LinkedHashMap<>();
            for (Row row : rows) {
                String name = row.getString(0);
                boolean unique = Integer.parseInt(String.valueOf(row.getValue(1))) == 0;
                IndexInfo known = byName.get(name);
                List<String> columns = new java.util.ArrayList<>(known == null ? List.of() : known.columns());
                // an expression part of a MySQL 8 functional index has no column name
                columns.add(row.getString(2) == null ? "" : row.getString(2));
                byName.put(name, new IndexInfo(name, unique, columns));
            }
            return List.copyOf(byName.values());
        });
    }

    /** The triggers defined on a table. */
    public Uni<List<InstalledTrigger>> triggers(String table) {
        return pool.preparedQuery(TRIGGERS).execute(Tuple.of(table)).map(rows -> {
            List<InstalledTrigger> triggers = new java.util.ArrayList<>();
            for (Row row : rows) {
                triggers.add(new InstalledTrigger(row.getString(0), row.getString(1), row.getString(2)));
            }
            return triggers;
        });
    }

    /** Every base table of the database. */
    public Uni<List<String>> baseTables() {
        return pool.query(BASE_TABLES).execute().map(SchemaRepository::strings);
    }

    /**
     * Runs DDL statements in order on one connection. With {@code lockTable}, the table is locked
     * for writing around them, so no business write slips between dropping and recreating triggers;
     * the lock waits at most {@link #LOCK_WAIT_SECONDS} (then error 1205, and nothing was changed).
     */
    public Uni<Void> runDdl(String lockTable, List<String> statements) {
        return pool.withConnection(conn -> {
            Uni<Void> chain = lockTable == null ? Uni.createFrom().voidItem()
                    : conn.query(SHORT_LOCK_WAIT).execute()
                            .chain(() -> conn.query("LOCK TABLES " + SqlText.identifier(lockTable) + " WRITE").execute())
                            .replaceWithVoid();
            for (String sql : statements) {
                chain = chain.chain(() -> conn.query(sql).execute().replaceWithVoid());
            }
            if (lockTable == null) {
                return chain;
            }
            return chain.onTermination().call(() -> unlock(conn));
        });
    }

    private static Uni<Void> unlock(SqlConnection conn) {
        return conn.query("UNLOCK TABLES").execute()
                .chain(() -> conn.query(DEFAULT_LOCK_WAIT).execute())
                .replaceWithVoid()
                .onFailure().recoverWithNull();
    }

    /** The server's "lock wait timeout exceeded" (1205), as a short LOCK TABLES ends behind a long transaction. */
    static boolean isLockTimeout(Throwable e) {
        return e instanceof io.vertx.mysqlclient.MySQLException m && m.getErrorCode() == 1205;
    }

    private static Row first(RowSet<Row> rows) {
        var it = rows.iterator();
        return it.hasNext() ? it.next() : null;
    }

    private static List<String> strings(RowSet<Row> rows) {
        List<String> values = new java.util.ArrayList<>();
        for (Row row : rows) {
            values.add(row.getString(0));
        }
        return values;
    }

    /** A table's exact name and its information_schema TABLE_TYPE. */
    public record TableRef(String name, String type) {
        public boolean isBaseTable() {
            return "BASE TABLE".equalsIgnoreCase(type);
        }
    }
}
