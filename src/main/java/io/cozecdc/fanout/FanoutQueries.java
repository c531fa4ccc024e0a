package io.cozecdc.fanout;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.vertx.mutiny.sqlclient.Tuple;

import io.cozecdc.capture.SqlText;
import io.cozecdc.capture.TableSchema;
import io.cozecdc.capture.TriggerSqlGenerator;
import io.cozecdc.configs.Relation;
import io.cozecdc.configs.RelationPath;

/**
 * The SQL of one fan-out step. Which parents a changed related row affects is the union, in byte order of
 * their keys, of
 * <ol>
 * <li>the parents that join to the row's join values now: a query from the configuration's table down the
 * relation path (a chain of joins for a nested path) filtered by the row's join columns; to-many limits are
 * ignored (more is harmless: an unchanged document costs no Coze call), and</li>
 * <li>the documents the dependency index says were rendered from the row (its old join values).</li>
 * </ol>
 * Each branch takes only the next {@code limit} keys after the cursor, so a step reads a bounded number of keys.
 */
final class FanoutQueries {

    private FanoutQueries() {
    }

    /** The next at most {@code limit} parent keys after {@code job.lastKey()}, as text, in byte order. */
    static Statement candidates(TableSchema parent, TableSchema related, RelationPath path, FanoutJob job, int limit) {
        Tuple params = Tuple.tuple();
        String after = job.lastKey() == null ? "" : " AND k > CAST(? AS BINARY)";
        StringBuilder sql = new StringBuilder("SELECT CAST(k AS CHAR CHARACTER SET utf8mb4) AS k_text FROM (");
        String joined = joined(parent, related, path, job.joinValues(), params);
        if (joined != null) {
            sql.append("(SELECT k FROM (").append(joined).append(") AS a WHERE 1 = 1").append(after)
                    .append(" ORDER BY k LIMIT ").append(limit).append(") UNION ");
            if (job.lastKey() != null) {
                params.addString(job.lastKey());
            }
        }
        sql.append("(SELECT record_key AS k FROM document_dependencies WHERE config_id = ? AND related_table = ? "
                + "AND related_key = CAST(? AS BINARY)").append(job.lastKey() == null ? "" : " AND record_key > CAST(? AS BINARY)")
                .append(" ORDER BY k LIMIT ").append(limit).append(")) AS u ORDER BY k LIMIT ").append(limit);
        params.addLong(job.configId()).addString(job.table()).addString(job.recordKey());
        if (job.lastKey() != null) {
            params.addString(job.lastKey());
        }
        return new Statement(sql.toString(), params);
    }

    /**
     * The parents joined to the row now, or null when a join value is NULL (nothing joins to NULL). Values are
     * compared as text, which the server converts to the column's type (numbers, dates) and which keeps an index
     * on the parent's join column usable; a binary column's value, captured as base64, is decoded first.
     */
    static String joined(TableSchema parent, TableSchema related, RelationPath path,
            com.fasterxml.jackson.databind.node.ObjectNode values, Tuple params) {
        List<Relation> relations = path.relations();
        StringBuilder sql = new StringBuilder("SELECT CAST(").append(TriggerSqlGenerator.keyExpression(parent, "p0"))
                .append(" AS BINARY) AS k FROM ").append(SqlText.identifier(parent.table())).append(" p0");
        String above = "p0";
        for (int i = 0; i < relations.size() - 1; i++) {
            Relation r = relations.get(i);
            String alias = "r" + (i + 1);
            sql.append(" JOIN ").append(SqlText.identifier(r.table())).append(' ').append(alias).append(" ON ");
            String on = above;
            sql.append(String.join(" AND ", r.join().entrySet().stream()
                    .map(e -> on + "." + SqlText.identifier(e.getKey()) + " = " + alias + "." + SqlText.identifier(e.getValue()))
                    .toList()));
            above = alias;
        }
        sql.append(" WHERE ");
        boolean first = true;
        for (Map.Entry<String, String> e : path.last().join().entrySet()) {
            JsonNode value = values == null ? null : values.get(e.getValue());
            if (value == null || value.isNull()) {
                return null;
            }
            boolean binary = related.column(e.getValue()).map(c -> c.isBinary()).orElse(false);
            sql.append(first ? "" : " AND ").append(above).append('.').append(SqlText.identifier(e.getKey()))
                    .append(binary ? " = FROM_BASE64(?)" : " = ?");
            params.addString(text(value));
            first = false;
        }
        return sql.toString();
    }

    private static String text(JsonNode value) {
        if (value.isBigDecimal() || value.isFloatingPointNumber()) {
            return new BigDecimal(value.asText()).toPlainString();
        }
        if (value.isBoolean()) {
            return value.booleanValue() ? "1" : "0";
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }

    /** The SELECT of {@code ChangeLogRepository.insertSnapshots}: the given parent rows as SNAPSHOT rows for the config. */
    static Statement snapshots(TableSchema parent, long configId, List<String> keys) {
        String key = "t." + SqlText.identifier(parent.key().name());
        String in = String.join(", ", java.util.Collections.nCopies(keys.size(), TriggerSqlGenerator.keyParameter(parent)));
        String sql = "SELECT " + SqlText.literal(parent.table()) + ", " + TriggerSqlGenerator.keyExpression(parent, "t")
                + ", 'SNAPSHOT', " + TriggerSqlGenerator.rowJsonExpression(parent, "t") + ", ? FROM "
                + SqlText.identifier(parent.table()) + " t WHERE " + key + " IN (" + in + ") ORDER BY " + key;
        Tuple params = Tuple.of(configId);
        keys.forEach(params::addString);
        return new Statement(sql, params);
    }

    /** A statement and its parameters. */
    record Statement(String sql, Tuple params) {
    }
}
