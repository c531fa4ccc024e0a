package io.cozecdc.testing.hostile;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A generated table with hostile names and every kind of column, and what its rows must look like as
 * Coze documents.
 */
public final class HostileTable {

    /** One column: its name, its type and whether it may hold NULL. */
    public record Column(String name, ColumnKind.Spec spec, boolean nullable) {
        String definition() {
            return SqlNames.quote(name) + " " + spec.sql() + (nullable ? " NULL" : " NOT NULL");
        }
    }

    /** A key type: its SQL, and the values it takes with their record keys (the text the triggers write). */
    public record Key(String name, String sql, boolean autoIncrement, int maxKeyText) {
    }

    /** A key value to bind and its record key; for AUTO_INCREMENT keys the record key is known after insert. */
    public record KeyValue(Object bind, String recordKey, String fieldText) {
        KeyValue(Object bind, String recordKey) {
            this(bind, recordKey, recordKey);
        }

        /** The same key once its record key is known (AUTO_INCREMENT). */
        public KeyValue known(Object value, String recordKey) {
            return new KeyValue(value, recordKey, recordKey);
        }
    }

    public final String table;
    public final Key key;
    public final List<Column> columns;
    private final Random random;
    private int nextKey;

    private HostileTable(String table, Key key, List<Column> columns, Random random) {
        this.table = table;
        this.key = key;
        this.columns = columns;
        this.random = random;
    }

    /**
     * @param unique distinguishes this table's name from others in the run
     * @param maxTableName longest table name the service accepts
     * @param forcedFamilies column families that must be present (to cover every family), may be empty
     */
    public static HostileTable generate(Random r, int unique, int maxTableName, List<Integer> forcedFamilies) {
        String table = Hostile.tableName(r, unique, maxTableName);
        Key key = key(r, Hostile.columnName(r, 0));
        List<Column> columns = new ArrayList<>();
        int n = Math.max(forcedFamilies.size(), 2 + r.nextInt(6));
        for (int i = 1; i <= n; i++) {
            ColumnKind.Spec spec = i <= forcedFamilies.size() ? ColumnKind.family(forcedFamilies.get(i - 1), r) : ColumnKind.any(r);
            columns.add(new Column(Hostile.columnName(r, i), spec, r.nextInt(3) > 0));
        }
        return new HostileTable(table, key, columns, r);
    }

    private static Key key(Random r, String name) {
        return switch (r.nextInt(8)) {
            case 0 -> new Key(name, "INT AUTO_INCREMENT", true, 11);
            case 1 -> new Key(name, "BIGINT", false, 20);
            case 2 -> new Key(name, "VARCHAR(" + (20 + r.nextInt(236)) + ")", false, 255);
            case 3 -> new Key(name, "VARCHAR(" + (20 + r.nextInt(236)) + ") COLLATE utf8mb4_bin", false, 255);
            case 4 -> new Key(name, "CHAR(36)", false, 36);
            case 5 -> new Key(name, "BINARY(16)", false, 32);
            case 6 -> new Key(name, "DECIMAL(12,3)", false, 14);
            default -> new Key(name, "DATETIME(3)", false, 23);
        };
    }

    public String createSql() {
        StringBuilder sql = new StringBuilder("CREATE TABLE ").append(SqlNames.quote(table)).append(" (")
                .append(SqlNames.quote(key.name)).append(' ').append(key.sql).append(" NOT NULL");
        for (Column c : columns) {
            sql.append(", ").append(c.definition());
        }
        return sql.append(", PRIMARY KEY (").append(SqlNames.quote(key.name)).append(")) DEFAULT CHARSET = utf8mb4").toString();
    }

    /** The next distinct key value (null bind for AUTO_INCREMENT). */
    public KeyValue nextKey() {
        int k = ++nextKey;
        String sql = key.sql;
        if (key.autoIncrement) {
            return new KeyValue(null, null);
        }
        if (sql.startsWith("BIGINT")) {
            long v = (random.nextLong() >>> 8) * 256 + k; // distinct per row
            return new KeyValue(v, Long.toString(v));
        }
        if (sql.startsWith("VARCHAR(")) {
            int width = Integer.parseInt(sql.substring(8, sql.indexOf(')')));
            String suffix = "~" + k;
            String v = Hostile.text(random, width - suffix.length(), 4 * (width - suffix.length())) + suffix;
            return new KeyValue(v, v);
        }
        if (sql.startsWith("CHAR(36)")) {
            String v = UUID.randomUUID().toString();
            return new KeyValue(v, v);
        }
        if (sql.startsWith("BINARY")) {
            byte[] v = new byte[16];
            random.nextBytes(v);
            v[15] = (byte) k;
            v[14] = (byte) (k >> 8);
            // the record key is HEX (text-safe), the field in the document base64 like any binary value
            return new KeyValue(v, HexFormat.of().withUpperCase().formatHex(v), ColumnKind.toBase64(v));
        }
        if (sql.startsWith("DECIMAL")) {
            String v = (random.nextInt(1000) * 1000 + k) + "." + String.format("%03d", random.nextInt(1000));
            if (random.nextBoolean()) {
                v = "-" + v;
            }
            return new KeyValue(v, v);
        }
        String v = String.format("%04d-%02d-%02d %02d:%02d:%02d.%03d", 1000 + random.nextInt(9000), 1 + random.nextInt(12),
                1 + random.nextInt(28), random.nextInt(24), random.nextInt(60), k % 60, random.nextInt(1000));
        return new KeyValue(v, v);
    }

    /** For a case-sensitive (binary) VARCHAR key: a second key differing only in letter case, or null. */
    public KeyValue caseTwin(KeyValue original) {
        if (!key.sql.contains("utf8mb4_bin")) {
            return null;
        }
        String upper = original.recordKey().toUpperCase(java.util.Locale.ROOT);
        if (upper.equals(original.recordKey()) || upper.codePointCount(0, upper.length()) != original.recordKey().codePointCount(0,
                original.recordKey().length()) || upper.getBytes(StandardCharsets.UTF_8).length > 4 * 255) {
            return null;
        }
        int width = Integer.parseInt(key.sql.substring(8, key.sql.indexOf(')')));
        return upper.codePointCount(0, upper.length()) <= width ? new KeyValue(upper, upper) : null;
    }

    /** A row: a value for every non-key column. */
    public Map<Column, ColumnKind.Cell> row() {
        Map<Column, ColumnKind.Cell> row = new LinkedHashMap<>();
        for (Column c : columns) {
            row.put(c, c.spec().value(random, c.nullable()));
        }
        return row;
    }

    /** Random new values for some columns of a row. */
    public Map<Column, ColumnKind.Cell> changes() {
        Map<Column, ColumnKind.Cell> changes = new LinkedHashMap<>();
        int n = 1 + random.nextInt(columns.size());
        for (int i = 0; i < n; i++) {
            Column c = columns.get(random.nextInt(columns.size()));
            changes.put(c, c.spec().value(random, c.nullable()));
        }
        return changes;
    }

    public String insertSql() {
        StringBuilder names = new StringBuilder();
        StringBuilder values = new StringBuilder();
        if (!key.autoIncrement) {
            names.append(SqlNames.quote(key.name));
            values.append('?');
        }
        for (Column c : columns) {
            if (!names.isEmpty()) {
                names.append(", ");
                values.append(", ");
            }
            names.append(SqlNames.quote(c.name()));
            values.append(c.spec().placeholder());
        }
        return "INSERT INTO " + SqlNames.quote(table) + " (" + names + ") VALUES (" + values + ")";
    }

    public String updateSql(List<Column> changed) {
        StringBuilder set = new StringBuilder();
        for (Column c : changed) {
            if (!set.isEmpty()) {
                set.append(", ");
            }
            set.append(SqlNames.quote(c.name())).append(" = ").append(c.spec().placeholder());
        }
        return "UPDATE " + SqlNames.quote(table) + " SET " + set + " WHERE " + SqlNames.quote(key.name) + " = ?";
    }

    public String deleteSql() {
        return "DELETE FROM " + SqlNames.quote(table) + " WHERE " + SqlNames.quote(key.name) + " = ?";
    }

    /**
     * Checks a document's content against a row: the kept fields in order as {@code name: value} lines.
     *
     * @return null when it matches, otherwise what differs
     */
    public String mismatch(String content, List<String> fields, KeyValue key, Map<Column, ColumnKind.Cell> row) {
        List<String> names = new ArrayList<>();
        List<Expect> expects = new ArrayList<>();
        List<String> order = fields.isEmpty() ? allNames() : fields;
        for (String f : order) {
            names.add(f);
            expects.add(f.equals(this.key.name) ? new Expect.Exact(key.fieldText()) : row.get(column(f)).expect());
        }
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            regex.append(Pattern.quote(names.get(i) + ": ")).append('(').append(expects.get(i).pattern()).append(")\n");
        }
        Matcher m = Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(content);
        if (!m.matches()) {
            return "document does not have the expected shape\n  expected: " + describe(names, expects) + "\n  actual:   "
                    + Hostile.visible(content);
        }
        for (int i = 0; i < names.size(); i++) {
            String got = m.group(i + 1);
            if (!expects.get(i).accepts(got)) {
                return "field " + Hostile.visible(names.get(i)) + ": expected " + expects.get(i) + " but the document shows '"
                        + Hostile.visible(got) + "'";
            }
        }
        return null;
    }

    public List<String> allNames() {
        List<String> names = new ArrayList<>();
        names.add(key.name);
        columns.forEach(c -> names.add(c.name()));
        return names;
    }

    public Column column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    /** A random subset of the columns in random order, or empty (all columns). */
    public List<String> fields() {
        if (random.nextBoolean()) {
            return List.of();
        }
        List<String> names = new ArrayList<>(allNames());
        java.util.Collections.shuffle(names, random);
        return List.copyOf(names.subList(0, 1 + random.nextInt(names.size())));
    }

    public String describe() {
        StringBuilder sb = new StringBuilder("table ").append(Hostile.visible(table)).append(" key ")
                .append(Hostile.visible(key.name)).append(' ').append(key.sql).append(" columns [");
        for (Column c : columns) {
            sb.append(Hostile.visible(c.name())).append(' ').append(c.spec().sql()).append(c.nullable() ? " NULL" : "").append("; ");
        }
        return sb.append(']').toString();
    }

    private static String describe(List<String> names, List<Expect> expects) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            sb.append(Hostile.visible(names.get(i))).append(" = ").append(expects.get(i)).append("; ");
        }
        return sb.toString();
    }

    /** Quoting of identifiers, written here rather than borrowed from the service under test. */
    static final class SqlNames {
        static String quote(String name) {
            return "`" + name.replace("`", "``") + "`";
        }
    }
}
