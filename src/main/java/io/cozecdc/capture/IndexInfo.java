package io.cozecdc.capture;

import java.util.List;

/**
 * One index of a table, as information_schema.STATISTICS describes it.
 *
 * @param name    INDEX_NAME ({@code PRIMARY} for the primary key)
 * @param unique  NON_UNIQUE = 0: the primary key or a unique key
 * @param columns its columns in index order
 */
public record IndexInfo(String name, boolean unique, List<String> columns) {

    public IndexInfo {
        columns = List.copyOf(columns);
    }

    public boolean isPrimary() {
        return "PRIMARY".equals(name);
    }
}
