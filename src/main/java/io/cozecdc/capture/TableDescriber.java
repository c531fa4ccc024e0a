package io.cozecdc.capture;

import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

/**
 * Turns a table name from a user into a {@link TableSchema}, refusing with a clear message what
 * cannot be captured: unknown tables, views, the service's own tables, tables without a primary key
 * or with a composite one, and names too long for the trigger naming scheme.
 */
@ApplicationScoped
public class TableDescriber {

    /** The service's own tables: capturing them would feed the change log into itself. */
    static final Set<String> SERVICE_TABLES = Set.of("data_change_logs", "capture_tables", "sync_configs",
            "synced_documents", "coze_documents", "sync_failures", "cdc_schema_history",
            "cdc_sample_schema_history", "backfill_jobs", "cdc_job_leases", "create_intents", "fanout_jobs",
            "document_dependencies");

    /** Width of data_change_logs.record_uuid and synced_documents.record_key, in characters. */
    static final int MAX_KEY_TEXT = 255;

    private final SchemaRepository schema;

    public TableDescriber(SchemaRepository schema) {
        this.schema = schema;
    }

    /** Describes a table, failing with {@link UnknownTableException} or {@link UnsupportedTableException}. */
    public Uni<TableSchema> describe(String requested) {
        if (requested == null || requested.isBlank()) {
            return Uni.createFrom().failure(new UnknownTableException(String.valueOf(requested)));
        }
        return schema.findTable(requested).chain(ref -> {
            if (ref == null) {
                return Uni.createFrom().failure(new UnknownTableException(requested));
            }
            String table = ref.name();
            if (!ref.isBaseTable()) {
                return Uni.createFrom().failure(new UnsupportedTableException(table,
                        "it is a " + ref.type().toLowerCase() + ", not a base table"));
            }
            if (SERVICE_TABLES.contains(table.toLowerCase())) {
                return Uni.createFrom().failure(new UnsupportedTableException(table,
                        "it is one of coze-cdc's own tables"));
            }
            if (table.length() > TriggerSqlGenerator.maxTableNameLength()) {
                return Uni.createFrom().failure(new UnsupportedTableException(table,
                        "its name is longer than " + TriggerSqlGenerator.maxTableNameLength()
                                + " characters, so trigger names would exceed MySQL's 64-character limit"));
            }
            return Uni.combine().all().unis(schema.indexes(table), schema.columns(table)).asTuple()
                    .map(t -> toSchema(table, t.getItem1(), t.getItem2()));
        });
    }

    private static TableSchema toSchema(String table, List<IndexInfo> indexes, List<ColumnInfo> columns) {
        List<String> key = indexes.stream().filter(IndexInfo::isPrimary).findFirst().map(IndexInfo::columns).orElse(List.of());
        if (key.isEmpty()) {
            throw new UnsupportedTableException(table, "it has no primary key; add a single-column primary key");
        }
        if (key.size() > 1) {
            throw new UnsupportedTableException(table, "its primary key is composite (" + String.join(", ", key)
                    + "); only a single-column primary key identifies a row's document");
        }
        ColumnInfo keyColumn = columns.stream().filter(c -> c.name().equals(key.get(0))).findFirst()
                .orElseThrow(() -> new UnsupportedTableException(table, "its key column " + key.get(0) + " is not listed"));
        if (keyColumn.maxKeyTextLength() > MAX_KEY_TEXT) {
            // a longer key would not fit the change log: the trigger's insert, and with it the application's
            // write, would fail
            throw new UnsupportedTableException(table, "its key column " + keyColumn.name() + " (" + keyColumn.columnType()
                    + ") can hold values longer than " + MAX_KEY_TEXT + " characters (as text; binary keys count as hex), "
                    + "the longest record key the change log holds; captured, such a row's insert would fail");
        }
        return new TableSchema(table, keyColumn, columns, indexes);
    }
}
