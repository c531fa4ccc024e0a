package io.cozecdc.capture;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A table as the triggers see it: its single-column primary key and every column in order, and its
 * indexes (for related tables: which joins find at most one row, and which have an index to use).
 *
 * @param table   exact table name
 * @param key     the primary-key column
 * @param columns every column, by ordinal position
 * @param indexes every index, the primary key included
 */
public record TableSchema(String table, ColumnInfo key, List<ColumnInfo> columns, List<IndexInfo> indexes) {

    public TableSchema {
        columns = List.copyOf(columns);
        indexes = indexes == null ? List.of() : List.copyOf(indexes);
    }

    /** A table described without its indexes. */
    public TableSchema(String table, ColumnInfo key, List<ColumnInfo> columns) {
        this(table, key, columns, List.of());
    }

    /**
     * True when rows matching on these columns are at most one: they include every column of the
     * primary key or of a unique key.
     */
    public boolean uniqueOn(Collection<String> columnNames) {
        Set<String> given = new HashSet<>(columnNames);
        return given.contains(key.name())
                || indexes.stream().anyMatch(i -> i.unique() && !i.columns().isEmpty() && given.containsAll(i.columns()));
    }

    /** True when some index starts with these columns (in any order), so a lookup on them need not scan the table. */
    public boolean indexedOn(Collection<String> columnNames) {
        Set<String> given = new HashSet<>(columnNames);
        if (given.size() == 1 && given.contains(key.name())) {
            return true;
        }
        return indexes.stream().anyMatch(i -> i.columns().size() >= given.size()
                && new HashSet<>(i.columns().subList(0, given.size())).equals(given));
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
