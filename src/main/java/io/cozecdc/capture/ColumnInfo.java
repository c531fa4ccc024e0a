package io.cozecdc.capture;

import java.util.Locale;
import java.util.Set;

/**
 * One column of a captured table, as information_schema describes it.
 *
 * @param name       exact column name
 * @param dataType   DATA_TYPE, lower case (e.g. {@code varchar}, {@code decimal}, {@code json})
 * @param columnType COLUMN_TYPE, lower case (e.g. {@code varchar(64)}, {@code enum('a','b')})
 * @param position   ORDINAL_POSITION, 1-based
 * @param onUpdate   EXTRA contains {@code on update} (ON UPDATE CURRENT_TIMESTAMP): the server sets it
 *                   whenever another column of the row changes
 */
public record ColumnInfo(String name, String dataType, String columnType, int position, boolean onUpdate) {

    /** A column without ON UPDATE. */
    public ColumnInfo(String name, String dataType, String columnType, int position) {
        this(name, dataType, columnType, position, false);
    }

    private static final Set<String> TEXT_TYPES = Set.of(
            "char", "varchar", "tinytext", "text", "mediumtext", "longtext", "enum", "set");
    private static final Set<String> BINARY_TYPES = Set.of(
            "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob");
    private static final Set<String> SPATIAL_TYPES = Set.of(
            "geometry", "point", "linestring", "polygon", "multipoint", "multilinestring",
            "multipolygon", "geometrycollection", "geomcollection");

    public ColumnInfo {
        dataType = dataType.toLowerCase(Locale.ROOT);
        columnType = columnType.toLowerCase(Locale.ROOT);
    }

    /** Character data, compared byte for byte so a case-only or trailing-space change counts. */
    public boolean isText() {
        return TEXT_TYPES.contains(dataType);
    }

    /** Raw bytes, captured as base64 text. */
    public boolean isBinary() {
        return BINARY_TYPES.contains(dataType);
    }

    public boolean isBit() {
        return "bit".equals(dataType);
    }

    public boolean isSpatial() {
        return SPATIAL_TYPES.contains(dataType);
    }

    /**
     * The most characters a value of this column can take as text in the change log's record key
     * (binary as HEX, twice its bytes); 0 for types whose text is short (numbers, dates).
     */
    public long maxKeyTextLength() {
        return switch (dataType) {
            case "char", "varchar" -> declaredLength();
            case "binary", "varbinary" -> 2 * declaredLength();
            case "tinytext" -> 255;
            case "tinyblob" -> 510;
            case "text", "mediumtext", "longtext", "blob", "mediumblob", "longblob" -> Long.MAX_VALUE;
            // the definition lists every member: an upper bound of any value's length
            case "enum", "set" -> columnType.length();
            default -> 0;
        };
    }

    private long declaredLength() {
        int open = columnType.indexOf('(');
        int close = columnType.indexOf(')', open + 1);
        return open < 0 || close < 0 ? Long.MAX_VALUE : Long.parseLong(columnType.substring(open + 1, close).trim());
    }
}
