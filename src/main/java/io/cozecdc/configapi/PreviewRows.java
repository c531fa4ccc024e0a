package io.cozecdc.configapi;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

import io.cozecdc.backfill.BackfillRepository;
import io.cozecdc.capture.SqlText;
import io.cozecdc.capture.TableSchema;
import io.cozecdc.capture.TriggerSqlGenerator;
import io.cozecdc.changelog.ChangeData;

/**
 * Reads a few current rows of a captured table exactly as its triggers would capture them (key as
 * text, every column in a JSON object), for a configuration's preview. Reads only; writes nothing.
 */
@ApplicationScoped
public class PreviewRows {

    private final Pool pool;

    public PreviewRows(Pool pool) {
        this.pool = pool;
    }

    /** The first {@code limit} rows in key order. */
    public Uni<List<SampleRow>> first(TableSchema schema, int limit) {
        String sql = select(schema) + " ORDER BY t." + SqlText.identifier(schema.key().name()) + " LIMIT " + limit;
        return pool.query(sql).execute().map(PreviewRows::rows);
    }

    /** The row with this key (as the change log writes keys), or an empty list. */
    public Uni<List<SampleRow>> byKey(TableSchema schema, String recordKey) {
        String sql = select(schema) + " WHERE t." + SqlText.identifier(schema.key().name()) + " = "
                + BackfillRepository.keyParameter(schema);
        return pool.preparedQuery(sql).execute(Tuple.of(recordKey)).map(PreviewRows::rows);
    }

    private static String select(TableSchema schema) {
        return "SELECT " + TriggerSqlGenerator.keyExpression(schema, "t") + " AS record_key, "
                + TriggerSqlGenerator.rowJsonExpression(schema, "t") + " AS row_data FROM "
                + SqlText.identifier(schema.table()) + " t";
    }

    private static List<SampleRow> rows(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        List<SampleRow> out = new ArrayList<>();
        for (Row row : rows) {
            out.add(new SampleRow(row.getString("record_key"), json(row.getValue("row_data"))));
        }
        return out;
    }

    /** JSON_OBJECT arrives as JSON (MySQL) or as text (MariaDB), as change_data does. */
    private static ObjectNode json(Object value) {
        String text = value instanceof io.vertx.core.json.JsonObject o ? o.encode()
                : value instanceof io.vertx.core.buffer.Buffer b ? b.toString(java.nio.charset.StandardCharsets.UTF_8)
                : String.valueOf(value);
        return ChangeData.parse(text);
    }

    /** One row: its key as text and its columns as the trigger's JSON. */
    public record SampleRow(String recordKey, ObjectNode data) {
    }
}
