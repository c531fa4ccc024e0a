package io.cozecdc.bench;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenario 3: what the capture triggers cost the business writes. Single-row (autocommit) and batched
 * (100 rows per statement) inserts, updates and deletes on the three sample tables, with and without
 * the triggers, in the same database and run; the rounds alternate the order (off/on, on/off …) and the
 * median of each is compared. No service runs meanwhile: this is the database-side cost only.
 */
final class TriggerScenario implements Scenario {

    static final int BATCH = 100;

    /** Which triggers the sample tables carry during a measurement. */
    private enum Mode {
        NONE, CAPTURE, FLOOR
    }
    static final List<String> OPS = List.of("single insert", "single update", "single delete", "batched insert",
            "batched update", "batched delete");

    /** How one sample table is written. */
    private record Table(String name, String columns, int width, String update) {
        Object[] values(String key, long n) {
            return switch (name) {
                case "products" -> new Object[] {key, "T-" + key, "Trigger product " + n, "tools",
                        "Product " + n + " written by the trigger benchmark.", "pcs", new BigDecimal("19.90"), new BigDecimal("9.10"),
                        (int) (n % 500), 1};
                case "suppliers" -> new Object[] {key, "Supplier " + n, "Contact " + n, "+86-571-" + n, "s" + n + "@example.cn",
                        "Hangzhou", "No. " + n + " Wensan Road", new BigDecimal("4.20"), "net 30"};
                default -> new Object[] {key, "00000000-0000-4000-8000-000000000001", "WH-1", "IN", (int) (n % 50) + 1,
                        new BigDecimal("3.30"), "bench", "receipt " + n};
            };
        }
    }

    static final List<Table> TABLES = List.of(
            new Table("products", "id, sku, name, category, description, unit, unit_price, cost_price, stock_quantity, is_active", 10,
                    "stock_quantity = stock_quantity + 1"),
            new Table("suppliers", "id, name, contact_name, phone, email, city, address, rating, payment_terms", 9,
                    "city = 'Shenzhen'"),
            new Table("inventory_records", "id, product_id, warehouse, change_type, quantity, unit_cost, operator, note", 8,
                    "quantity = quantity + 1"));

    @Override
    public String id() {
        return "triggers";
    }

    @Override
    public String title() {
        return "3. Trigger overhead";
    }

    @Override
    public void run(BenchRun run, ScenarioResult r) throws Exception {
        int rounds = run.settings.size("triggers.rounds", 1, 5);
        int singleRows = run.settings.size("triggers.single-rows", 300, 2_000);
        int batchRows = run.settings.size("triggers.batch-rows", 3_000, 20_000);
        run.resetData();
        Map<Mode, Map<String, List<Double>>> rates = new java.util.EnumMap<>(Mode.class);
        try (Connection c = run.db.connect()) {
            List<String[]> triggers = saved(c);
            if (triggers.size() != 9) {
                throw new IllegalStateException("expected the 9 capture triggers of the sample tables, found " + triggers.size());
            }
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE IF NOT EXISTS bench_trigger_floor (id BIGINT AUTO_INCREMENT PRIMARY KEY, v INT)");
            }
            try {
                for (int round = 0; round < rounds; round++) {
                    for (int i = 0; i < Mode.values().length; i++) {
                        Mode mode = Mode.values()[(i + round) % Mode.values().length];
                        setTriggers(c, triggers, mode);
                        run.resetData();
                        try (Statement st = c.createStatement()) {
                            st.execute("TRUNCATE TABLE bench_trigger_floor");
                        }
                        measure(c, run.tag(), singleRows, batchRows).forEach((op, rate) -> rates
                                .computeIfAbsent(mode, m -> new LinkedHashMap<>()).computeIfAbsent(op, k -> new ArrayList<>()).add(rate));
                    }
                }
            } finally {
                setTriggers(c, triggers, Mode.CAPTURE);
                run.resetData();
                try (Statement st = c.createStatement()) {
                    st.execute("DROP TABLE IF EXISTS bench_trigger_floor");
                }
            }
        }
        for (String op : OPS) {
            double withT = Stats.of(rates.get(Mode.CAPTURE).get(op)).median();
            double without = Stats.of(rates.get(Mode.NONE).get(op)).median();
            double floor = Stats.of(rates.get(Mode.FLOOR).get(op)).median();
            String key = op.replace(' ', '_');
            r.figure(key + "_without", op + ": without triggers", without, "rows/s");
            r.figure(key + "_with", op + ": with the capture triggers", withT, "rows/s");
            r.figure(key + "_ratio", "**" + op + ": ratio with / without**", withT / without, "");
            r.figure(key + "_floor_ratio", op + ": ratio with a minimal trigger / without (the floor)", floor / without, "");
            r.target("trigger overhead, " + op + " (with / without)", withT / without, "", "≥ 0.80", withT / without >= 0.8);
        }
        r.json("rates", rates);
        r.note("Rows per second over the three sample tables (products, suppliers, inventory_records), one connection, "
                + "autocommit; single = one row per statement (" + singleRows + " rows per table), batched = " + BATCH
                + " rows per statement (" + batchRows + " rows per table); median of " + rounds + " round(s), order alternating.");
        r.note("Triggers are dropped and re-created from their own SHOW CREATE TRIGGER text, so the measured triggers are "
                + "exactly the installed ones. The floor replaces each of them with a trigger that inserts one integer "
                + "into a one-index scratch table: what any row trigger that writes a row costs, whatever it writes.");
    }

    private static Map<String, Double> measure(Connection c, int tag, int singleRows, int batchRows) throws SQLException {
        Map<String, Double> rates = new LinkedHashMap<>();
        double[] seconds = new double[OPS.size()];
        long[] rows = new long[OPS.size()];
        for (Table t : TABLES) {
            List<String> keys = keys(tag, t, 0, singleRows);
            seconds[0] += time(() -> insertEach(c, t, keys, 0));
            seconds[1] += time(() -> each(c, "UPDATE " + t.name() + " SET " + t.update() + " WHERE id = ?", keys));
            seconds[2] += time(() -> each(c, "DELETE FROM " + t.name() + " WHERE id = ?", keys));
            List<String> many = keys(tag, t, singleRows, batchRows);
            seconds[3] += time(() -> insertBatches(c, t, many, singleRows));
            seconds[4] += time(() -> inBatches(c, "UPDATE " + t.name() + " SET " + t.update() + " WHERE id IN ", many));
            seconds[5] += time(() -> inBatches(c, "DELETE FROM " + t.name() + " WHERE id IN ", many));
            for (int i = 0; i < 3; i++) {
                rows[i] += singleRows;
                rows[i + 3] += batchRows;
            }
        }
        for (int i = 0; i < OPS.size(); i++) {
            rates.put(OPS.get(i), rows[i] / seconds[i]);
        }
        return rates;
    }

    private static List<String> keys(int tag, Table t, long from, int count) {
        List<String> keys = new ArrayList<>();
        int tableTag = tag * 4 + TABLES.indexOf(t);
        for (long n = from; n < from + count; n++) {
            keys.add(Workload.key(tableTag, n));
        }
        return keys;
    }

    private interface Work {
        void run() throws SQLException;
    }

    private static double time(Work work) throws SQLException {
        long start = System.nanoTime();
        work.run();
        return (System.nanoTime() - start) / 1e9;
    }

    private static void insertEach(Connection c, Table t, List<String> keys, long firstN) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t.name() + " (" + t.columns() + ") VALUES "
                + io.cozecdc.common.Sql.inList(t.width()))) {
            long n = firstN;
            for (String key : keys) {
                bind(ps, 0, t.values(key, n++));
                ps.executeUpdate();
            }
        }
    }

    private static void insertBatches(Connection c, Table t, List<String> keys, long firstN) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t.name() + " (" + t.columns() + ") VALUES "
                + io.cozecdc.common.Sql.rows(BATCH, t.width()))) {
            long n = firstN;
            for (int i = 0; i < keys.size(); i += BATCH) {
                if (keys.size() - i < BATCH) {
                    throw new IllegalArgumentException("batch rows must be a multiple of " + BATCH);
                }
                for (int j = 0; j < BATCH; j++) {
                    bind(ps, j * t.width(), t.values(keys.get(i + j), n++));
                }
                ps.executeUpdate();
            }
        }
    }

    private static void each(Connection c, String sql, List<String> keys) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (String key : keys) {
                ps.setString(1, key);
                if (ps.executeUpdate() != 1) {
                    throw new IllegalStateException("expected one row: " + sql + " " + key);
                }
            }
        }
    }

    private static void inBatches(Connection c, String sql, List<String> keys) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql + io.cozecdc.common.Sql.inList(BATCH))) {
            for (int i = 0; i + BATCH <= keys.size(); i += BATCH) {
                for (int j = 0; j < BATCH; j++) {
                    ps.setString(j + 1, keys.get(i + j));
                }
                if (ps.executeUpdate() != BATCH) {
                    throw new IllegalStateException("expected " + BATCH + " rows: " + sql);
                }
            }
        }
    }

    private static void bind(PreparedStatement ps, int offset, Object[] values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            ps.setObject(offset + i + 1, values[i]);
        }
    }

    /** The installed capture triggers of the sample tables: name, sql_mode, CREATE statement, event, table. */
    private static List<String[]> saved(Connection c) throws SQLException {
        List<String[]> found = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT TRIGGER_NAME, EVENT_MANIPULATION, EVENT_OBJECT_TABLE FROM information_schema.TRIGGERS "
                        + "WHERE TRIGGER_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE IN ('products', 'suppliers', 'inventory_records') "
                        + "ORDER BY TRIGGER_NAME")) {
            while (rs.next()) {
                found.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
            }
        }
        List<String[]> triggers = new ArrayList<>();
        for (String[] t : found) {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW CREATE TRIGGER `" + t[0] + "`")) {
                rs.next();
                triggers.add(new String[] {t[0], rs.getString("sql_mode"), rs.getString("SQL Original Statement"), t[1], t[2]});
            }
        }
        return triggers;
    }

    private static void setTriggers(Connection c, List<String[]> triggers, Mode mode) throws SQLException {
        try (Statement st = c.createStatement()) {
            String sqlMode;
            try (ResultSet rs = st.executeQuery("SELECT @@SESSION.sql_mode")) {
                rs.next();
                sqlMode = rs.getString(1);
            }
            for (String[] t : triggers) {
                st.execute("DROP TRIGGER IF EXISTS `" + t[0] + "`");
                if (mode == Mode.CAPTURE) {
                    try (PreparedStatement ps = c.prepareStatement("SET SESSION sql_mode = ?")) {
                        ps.setString(1, t[1]);
                        ps.execute();
                    }
                    st.execute(t[2]);
                } else if (mode == Mode.FLOOR) {
                    st.execute("CREATE TRIGGER `" + t[0] + "` AFTER " + t[3] + " ON `" + t[4] + "` FOR EACH ROW "
                            + "INSERT INTO bench_trigger_floor (v) VALUES (1)");
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SET SESSION sql_mode = ?")) {
                ps.setString(1, sqlMode);
                ps.execute();
            }
        }
    }
}
