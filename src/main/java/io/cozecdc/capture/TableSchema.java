package io.cozecdc.capture;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A table as the triggers see it: its single-column primary key and every column in order.
 *
 * @param table   exact table name
 * @param key     the primary-key column
 * @param columns every column, by ordinal position
 */
public record TableSchema(String table, ColumnInfo key, List<ColumnInfo> columns) {

    public TableSchema {
        columns = List.copyOf(columns);
    }

    /** Column names in table order. */
    public List<String> columnNames() {
        return columns.stream().map(ColumnInfo::name).toList();
    }

    public Optional<ColumnInfo> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /**
     * SHA-256 over what the triggers are generated from (generator version, key, columns and their
     * types). Stored at install; a different value later means the triggers no longer match the table.
     */
    public String columnsHash() {
        StringBuilder canonical = new StringBuilder(TriggerSqlGenerator.GENERATOR_VERSION).append('\n')
                .append(table).append('\n').append(key.name()).append('\n');
        for (ColumnInfo c : columns) {
            canonical.append(c.position()).append('|').append(c.name()).append('|').append(c.columnType())
                    .append(c.onUpdate() ? "|on update" : "").append('\n');
        }
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
