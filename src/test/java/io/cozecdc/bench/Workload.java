package io.cozecdc.bench;

import java.util.Locale;

import io.cozecdc.testing.TestDb;

/**
 * Bulk SQL that makes the rows a scenario needs, set-based (INSERT … SELECT over a generated number
 * sequence), never row by row. Keys look like UUIDs: {@code <tag as 8 hex digits>-0000-4000-8000-<n as
 * 12 digits>}, so every batch of a run has its own keys.
 */
final class Workload {

    /** Rows one statement writes at most (one 100 000-row sequence). */
    static final int CHUNK = 100_000;

    private static final String DIGITS = "(SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL "
            + "SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)";

    /** Numbers {@code from .. from+count-1} (count at most {@link #CHUNK}) as a derived table {@code seq(n)}. */
    static String sequence(long from, int count) {
        if (count < 1 || count > CHUNK) {
            throw new IllegalArgumentException("count must be 1.." + CHUNK + ": " + count);
        }
        return "(SELECT " + from + " + a.d + 10 * b.d + 100 * c.d + 1000 * e.d + 10000 * f.d AS n FROM "
                + DIGITS + " a CROSS JOIN " + DIGITS + " b CROSS JOIN " + DIGITS + " c CROSS JOIN " + DIGITS + " e CROSS JOIN "
                + DIGITS + " f WHERE a.d + 10 * b.d + 100 * c.d + 1000 * e.d + 10000 * f.d < " + count + ") seq";
    }

    /** The key of product {@code n} of batch {@code tag}. */
    static String key(int tag, long n) {
        return String.format(Locale.ROOT, "%08x-0000-4000-8000-%012d", tag, n);
    }

    /** The SQL expression for {@link #key} over column {@code n}. */
    static String keySql(int tag) {
        return "CONCAT('" + String.format(Locale.ROOT, "%08x", tag) + "-0000-4000-8000-', LPAD(n, 12, '0'))";
    }

    /**
     * Inserts products {@code from .. from+count-1} of batch {@code tag} in one statement per
     * {@link #CHUNK} rows (the capture triggers fire for each row). With {@code oneTransaction} all
     * chunks commit together, so the whole backlog becomes visible at once.
     */
    static void insertProducts(TestDb sql, int tag, long from, long count, boolean oneTransaction) {
        java.util.List<String> statements = new java.util.ArrayList<>();
        if (oneTransaction) {
            statements.add("START TRANSACTION");
        }
        for (long start = from; start < from + count; start += CHUNK) {
            int n = (int) Math.min(CHUNK, from + count - start);
            statements.add("INSERT INTO products (id, sku, name, category, description, unit, unit_price, cost_price, "
                    + "stock_quantity, is_active) SELECT " + keySql(tag) + ", CONCAT('B" + tag + "-', n), "
                    + "CONCAT('Bench product ', n), ELT(1 + n MOD 5, 'tools', 'garden', 'kitchen', 'toys', 'office'), "
                    + "CONCAT('Product ', n, ' of the benchmark: sturdy, useful and always in stock somewhere.'), 'pcs', "
                    + "10.99 + n MOD 90, 5.50 + n MOD 40, n MOD 1000, 1 FROM " + sequence(start, n));
        }
        if (oneTransaction) {
            statements.add("COMMIT");
        }
        sql.execute(statements.toArray(String[]::new));
    }

    /**
     * Writes {@code count} change-log rows as the products trigger would for inserts of products
     * {@code 0 .. count-1} of batch {@code tag}: pending, or processed long ago ({@code processedDaysAgo}
     * &gt; 0) for the cleanup scenario. One statement per {@link #CHUNK} rows, each committed alone.
     */
    static void insertChangeRows(TestDb sql, int tag, long count, int processedDaysAgo) {
        for (long start = 0; start < count; start += CHUNK) {
            int n = (int) Math.min(CHUNK, count - start);
            String processed = processedDaysAgo > 0
                    ? ", NOW(3) - INTERVAL " + processedDaysAgo + " DAY - INTERVAL 1 MINUTE, 1, NOW(3) - INTERVAL " + processedDaysAgo + " DAY"
                    : ", NOW(3), 0, NULL";
            sql.execute("INSERT INTO data_change_logs (table_name, record_uuid, operation_type, change_data, created_at, "
                    + "processed, processed_at) SELECT 'products', k, 'INSERT', JSON_OBJECT('id', k, 'sku', CONCAT('B" + tag
                    + "-', n), 'name', CONCAT('Bench product ', n), 'category', ELT(1 + n MOD 5, 'tools', 'garden', 'kitchen', "
                    + "'toys', 'office'), 'description', CONCAT('Product ', n, ' of the benchmark: sturdy, useful and always in "
                    + "stock somewhere.'), 'unit', 'pcs', 'unit_price', 10.99 + n MOD 90, 'cost_price', 5.50 + n MOD 40, "
                    + "'stock_quantity', n MOD 1000, 'supplier_id', NULL, 'is_active', 1, 'created_at', NOW(), 'updated_at', NOW())"
                    + processed + " FROM (SELECT n, " + keySql(tag) + " AS k FROM " + sequence(start, n) + ") rows_to_load");
        }
    }

    private Workload() {
    }
}
