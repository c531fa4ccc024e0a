package io.cozecdc.capture;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A table's columns, for choosing a configuration's fields.
 *
 * @param table     the table, as the database spells it
 * @param keyColumn its single-column primary key
 * @param columns   every column in table order
 */
@Schema(name = "TableColumns")
public record TableColumnsView(String table, String keyColumn, List<Column> columns) {

    static TableColumnsView of(TableSchema schema) {
        return new TableColumnsView(schema.table(), schema.key().name(),
                schema.columns().stream().map(c -> new Column(c.name(), c.columnType())).toList());
    }

    /**
     * One column.
     *
     * @param name its exact name
     * @param type its column type as the database writes it, lower case, e.g. {@code decimal(12,2)}
     */
    @Schema(name = "TableColumn")
    public record Column(String name, String type) {
    }
}
