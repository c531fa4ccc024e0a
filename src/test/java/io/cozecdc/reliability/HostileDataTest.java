package io.cozecdc.reliability;

import static io.cozecdc.testing.Api.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

import io.cozecdc.capture.TriggerSqlGenerator;
import io.cozecdc.common.JobControl;
import io.cozecdc.configs.ConfigRegistry;
import io.cozecdc.configs.SyncConfigRepository;
import io.cozecdc.testing.InjectFakeCoze;
import io.cozecdc.testing.PipelineSupport;
import io.cozecdc.testing.coze.FakeCoze;
import io.cozecdc.testing.coze.FakeDocument;
import io.cozecdc.testing.hostile.ColumnKind;
import io.cozecdc.testing.hostile.Hostile;
import io.cozecdc.testing.hostile.HostileTable;
import io.cozecdc.testing.hostile.HostileTable.Column;
import io.cozecdc.testing.hostile.HostileTable.KeyValue;
import io.cozecdc.testing.hostile.Properties;

/**
 * Property-based: generated tables with hostile names (spaces, backticks, quotes, reserved words,
 * non-ASCII, control characters) and every column type family, filled with hostile values (emoji,
 * control characters, NUL, SQL and template syntax, extremes, NULLs). For each, the capture triggers
 * install through the API, inserts, updates and deletes flow through the pipeline, and every live row
 * ends as exactly one document showing exactly its values, with no document for deleted rows and no
 * dead letter. Rows too large for Coze become a DEAD letter with the reason, without holding up the rest.
 */
@QuarkusTest
class HostileDataTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AgroalDataSource dataSource;
    @Inject
    JobControl control;
    @Inject
    ConfigRegistry registry;
    @Inject
    SyncConfigRepository configs;
    @InjectFakeCoze
    FakeCoze coze;

    @Inject
    PipelineSupport support;
    final List<String> tables = new ArrayList<>();

    @BeforeEach
    void setUp() {
        support.reset();
    }

    @AfterEach
    void tearDown() {
        support.stop();
        support.db().execute("DELETE FROM sync_configs");
        for (String t : tables) {
            support.db().execute("DROP TABLE IF EXISTS " + quote(t));
            support.db().update("DELETE FROM capture_tables WHERE table_name = ?", t);
        }
        registry.refresh().await().atMost(PipelineSupport.WAIT);
        coze.reset();
    }

    @Test
    void hostileTablesInstallTriggersAndEveryRowRoundTripsExactly() {
        int families = ColumnKind.families();
        int perTable = 3;
        int covering = (families + perTable - 1) / perTable;
        int[] counter = {0};
        int[] cases = {0};
        // the first case is the tables that cover every column family (three per table), all round-tripped at
        // once (each with its own configuration and dataset, their changes in the same batches); later cases,
        // while verify's short budget lasts (-Dhostile.seconds=S for a longer exploration), draw groups freely
        int ran = Properties.forAll("hostile tables round-trip", Properties.seed(), 30, 1, Duration.ofSeconds(Long.getLong("hostile.seconds", 6)), r -> {
            int size = ++cases[0] == 1 ? covering : 4;
            List<HostileTable> group = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                int n = ++counter[0];
                List<Integer> forced = new ArrayList<>();
                for (int f = (n - 1) * perTable; f < Math.min(families, n * perTable); f++) {
                    forced.add(f);
                }
                group.add(HostileTable.generate(r, n, TriggerSqlGenerator.maxTableNameLength(), forced));
            }
            long caseSeed = r.nextLong();
            return new Properties.Case() {
                @Override
                public String describe() {
                    StringBuilder all = new StringBuilder();
                    group.forEach(t -> all.append(t.describe()).append('\n'));
                    return all.toString();
                }

                @Override
                public void check() throws Exception {
                    roundTrip(group, new Random(caseSeed));
                }
            };
        });
        assertThat(ran).isGreaterThanOrEqualTo(1);
        assertThat(counter[0]).as("tables round-tripped").isGreaterThanOrEqualTo(covering);
    }

    @Test
    void aRowLargerThanCozeAcceptsIsADeadLetterWithTheReasonAndTheRestSyncs() throws Exception {
        String table = "t_hostile_big";
        tables.add(table);
        support.db().execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, body LONGTEXT)");
        String dataset = coze.createDataset("big-kb");
        createConfig("big", table, dataset, List.of());
        // base64 makes 12 MB of text a request of about 16 MB, over Coze's 15 MB cap
        String huge = "库存 📦 ".repeat(12 * 1024 * 1024 / 12);
        write(c -> {
            for (int i = 1; i <= 5; i++) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?)")) {
                    ps.setInt(1, i);
                    ps.setString(2, i == 3 ? huge : "small row " + i);
                    ps.executeUpdate();
                }
            }
        });
        support.start();
        await().atMost(PipelineSupport.WAIT).until(() -> support.pending() == 0
                && coze.documents(dataset).stream().filter(d -> d.status() == FakeDocument.DONE).count() == 4
                && support.db().count("SELECT COUNT(*) FROM sync_failures WHERE status = 'DEAD'") == 1);
        Map<String, Object> dead = support.db().query("SELECT record_key, error_code, error_message FROM sync_failures").get(0);
        assertThat(dead.get("record_key")).isEqualTo("3");
        assertThat((String) dead.get("error_message")).contains("over Coze's limit", "bytes");
        assertThat(coze.documents(dataset)).extracting(FakeDocument::content).noneMatch(c -> c.contains("库存 📦"));
        // the dead letter is visible through the API with its reason
        Response deadLetters = api().get("/api/v1/failures?status=DEAD");
        assertThat(deadLetters.statusCode()).isEqualTo(200);
        // read with Jackson: the item carries the 12 MB row as its payload, which REST Assured's Groovy parser
        // takes seconds over
        var items = JSON.readTree(deadLetters.asString()).path("items");
        assertThat(items.size()).isGreaterThanOrEqualTo(1);
        assertThat(items).anySatisfy(item -> {
            assertThat(item.path("recordKey").asText()).isEqualTo("3");
            assertThat(item.path("errorMessage").asText()).contains("over Coze's limit");
        });
        // and the table is not stuck: a later change of the same row, now small, syncs
        support.db().update("UPDATE " + table + " SET body = 'small again' WHERE id = 3");
        await().atMost(PipelineSupport.WAIT).until(() -> coze.documents(dataset).stream()
                .anyMatch(d -> d.status() == FakeDocument.DONE && d.content().contains("small again")));
    }

    @Test
    void aKeyTooWideForTheChangeLogIsRefusedAtInstallSoTheApplicationsWritesNeverFail() throws Exception {
        tables.add("t_wide_key");
        tables.add("t_binary_key");
        support.db().execute("CREATE TABLE t_wide_key (code VARCHAR(300) PRIMARY KEY, label VARCHAR(20))",
                "CREATE TABLE t_binary_key (code VARBINARY(200) PRIMARY KEY, label VARCHAR(20))");
        for (String table : List.of("t_wide_key", "t_binary_key")) {
            api().body("{\"table\":\"" + table + "\"}").post("/api/v1/tables").then().statusCode(400)
                    .body("detail", org.hamcrest.Matchers.containsString("255 characters"));
            api().body(io.cozecdc.testing.Api.config("wide-" + table, table, coze.createDataset("wide"), "[]"))
                    .post("/api/v1/sync-configs").then().statusCode(400);
        }
        assertThat(support.db().count("SELECT COUNT(*) FROM information_schema.triggers WHERE event_object_table IN "
                + "('t_wide_key', 't_binary_key')")).isZero();
        // the application keeps writing keys of any legal length
        support.db().update("INSERT INTO t_wide_key VALUES (?, 'x')", "k".repeat(300));
    }

    @Test
    void aKeyOfExactly255FourByteCharactersFitsAndSyncs() throws Exception {
        tables.add("t_emoji_key");
        support.db().execute("CREATE TABLE t_emoji_key (code VARCHAR(255) PRIMARY KEY, label TEXT)");
        String dataset = coze.createDataset("emoji");
        createConfig("emoji", "t_emoji_key", dataset, List.of());
        String key = "😀".repeat(254) + "🇨";
        write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO t_emoji_key VALUES (?, ?)")) {
                ps.setString(1, key);
                ps.setString(2, "\u0001\u0000👍🏽");
                ps.executeUpdate();
            }
        });
        support.start();
        // the fake finishes processing on its own clock, so its document can be DONE a moment before the service
        // has committed the record's mapping: wait for both
        await().atMost(PipelineSupport.WAIT).until(() -> coze.documents(dataset).stream().anyMatch(d -> d.status() == FakeDocument.DONE)
                && support.db().count("SELECT COUNT(*) FROM synced_documents") > 0);
        assertThat(coze.documents(dataset)).singleElement()
                .satisfies(d -> assertThat(d.content()).isEqualTo("code: " + key + "\nlabel: \u0001\u0000👍🏽\n"));
        assertThat(support.db().scalar("SELECT record_key FROM synced_documents")).isEqualTo(key);
    }

    @Test
    void tablesWhoseNamesDifferOnlyInCaseAreCapturedAndRemovedSeparately() {
        tables.add("t_case");
        tables.add("T_CASE");
        support.db().execute("CREATE TABLE t_case (id INT PRIMARY KEY)", "CREATE TABLE T_CASE (id INT PRIMARY KEY)");
        api().body("{\"table\":\"t_case\"}").post("/api/v1/tables").then().statusCode(201);
        api().body("{\"table\":\"T_CASE\"}").post("/api/v1/tables").then().statusCode(201);
        assertThat(support.db().query("SELECT table_name FROM capture_tables WHERE table_name IN ('t_case', 'T_CASE')")).hasSize(2);

        api().delete("/api/v1/tables/T_CASE").then().statusCode(204);
        assertThat(triggersOn("T_CASE")).isZero();
        assertThat(triggersOn("t_case")).as("the other table's triggers").isEqualTo(3);
        api().get("/api/v1/tables").then().statusCode(200).body("table", org.hamcrest.Matchers.hasItem("t_case"))
                .body("table", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem("T_CASE")));
        // removing it again finds nothing to remove, and says so
        api().delete("/api/v1/tables/T_CASE").then().statusCode(404);
        assertThat(triggersOn("t_case")).isEqualTo(3);
    }

    @Test
    void removingATableWhoseTriggersOutlivedItsRecordDropsThemAndSaysSo() {
        tables.add("t_orphan_triggers");
        support.db().execute("CREATE TABLE t_orphan_triggers (id INT PRIMARY KEY)");
        api().body("{\"table\":\"t_orphan_triggers\"}").post("/api/v1/tables").then().statusCode(201);
        support.db().update("DELETE FROM capture_tables WHERE table_name = 't_orphan_triggers'");
        api().delete("/api/v1/tables/t_orphan_triggers").then().statusCode(204);
        assertThat(triggersOn("t_orphan_triggers")).isZero();
    }

    private long triggersOn(String table) {
        return support.db().count("SELECT COUNT(*) FROM information_schema.triggers WHERE trigger_schema = DATABASE() "
                + "AND BINARY event_object_table = ?", table);
    }

    /** One table of a round trip: its dataset, configuration, fields and the rows it should end with. */
    private record Trip(HostileTable t, String dataset, long configId, List<String> fields,
            Map<String, Map<Column, ColumnKind.Cell>> live, Map<String, KeyValue> binds) {
    }

    /**
     * Creates the tables, installs their triggers through the API, writes, syncs and checks every row's
     * document; then resyncs them all and checks that nothing changed in Coze.
     */
    private void roundTrip(List<HostileTable> group, Random r) throws Exception {
        support.stop();
        List<Trip> trips = new ArrayList<>();
        for (HostileTable t : group) {
            tables.add(t.table);
            support.db().execute(t.createSql());
            String dataset = coze.createDataset("hostile");
            Response installed = api().body(JSON.writeValueAsString(Map.of("table", t.table))).post("/api/v1/tables");
            assertThat(installed.statusCode()).as("POST /api/v1/tables (%s): %s", t.describe(), installed.asString()).isEqualTo(201);
            Response sql = api().urlEncodingEnabled(false).get("/api/v1/tables/" + pathSegment(t.table) + "/trigger-sql");
            assertThat(sql.statusCode()).as("GET trigger-sql (%s): %s", t.describe(), sql.asString()).isEqualTo(200);
            List<String> fields = t.fields();
            long configId = createConfig("hostile-" + tables.size(), t.table, dataset, fields);
            trips.add(new Trip(t, dataset, configId, fields, new LinkedHashMap<>(), new LinkedHashMap<>()));
        }
        for (Trip trip : trips) {
            write(c -> writeRows(c, trip, r));
        }

        support.start();
        awaitSettled(trips);
        support.stop();
        for (Trip trip : trips) {
            checkDocuments(trip.t(), trip.configId(), trip.dataset(), trip.fields(), trip.live(), trip.binds());
        }

        // a backfill renders the same rows from the table itself: same content, so nothing changes in Coze
        int created = coze.requestCount(FakeCoze.Endpoint.CREATE);
        support.start();
        for (Trip trip : trips) {
            api().post("/api/v1/sync-configs/" + trip.configId() + "/resync").then().statusCode(202);
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> trips.stream().allMatch(trip ->
                "DONE".equals(api().get("/api/v1/sync-configs/" + trip.configId()).path("backfill.state"))) && support.pending() == 0);
        awaitSettled(trips);
        support.stop();
        for (Trip trip : trips) {
            checkDocuments(trip.t(), trip.configId(), trip.dataset(), trip.fields(), trip.live(), trip.binds());
        }
        assertThat(coze.requestCount(FakeCoze.Endpoint.CREATE)).as("creates caused by a backfill of unchanged rows").isEqualTo(created);
    }

    /** Inserts 3–6 rows (and the case twin of the first key, when the key has one), updates some, deletes one. */
    private void writeRows(Connection c, Trip trip, Random r) throws SQLException {
        HostileTable t = trip.t();
        Map<String, Map<Column, ColumnKind.Cell>> live = trip.live();
        Map<String, KeyValue> binds = trip.binds();
        int rows = 3 + r.nextInt(4);
        for (int i = 0; i < rows; i++) {
            KeyValue key = t.nextKey();
            insert(c, t, key, live, binds);
            KeyValue twin = i == 0 ? t.caseTwin(key) : null;
            if (twin != null) {
                insert(c, t, twin, live, binds);
            }
        }
        List<String> keys = new ArrayList<>(live.keySet());
        for (int i = 0; i < 1 + r.nextInt(3); i++) {
            String k = keys.get(r.nextInt(keys.size()));
            Map<Column, ColumnKind.Cell> changes = t.changes();
            List<Column> changed = new ArrayList<>(changes.keySet());
            try (PreparedStatement ps = c.prepareStatement(t.updateSql(changed))) {
                int p = 1;
                for (Column col : changed) {
                    ps.setObject(p++, changes.get(col).bind());
                }
                ps.setObject(p, binds.get(k).bind());
                assertThat(ps.executeUpdate()).as("update of %s in %s", Hostile.visible(k), t.describe()).isEqualTo(1);
            }
            live.get(k).putAll(changes);
        }
        String gone = keys.get(r.nextInt(keys.size()));
        try (PreparedStatement ps = c.prepareStatement(t.deleteSql())) {
            ps.setObject(1, binds.get(gone).bind());
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        live.remove(gone);
    }

    private void awaitSettled(List<Trip> trips) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> support.pending() == 0
                && support.db().count("SELECT COUNT(*) FROM coze_documents WHERE state <> 'DONE'") == 0
                && trips.stream().allMatch(trip -> coze.documents(trip.dataset()).size() == trip.live().size())
                || support.db().count("SELECT COUNT(*) FROM sync_failures") > 0);
    }

    private void checkDocuments(HostileTable t, long configId, String dataset, List<String> fields,
            Map<String, Map<Column, ColumnKind.Cell>> live, Map<String, KeyValue> keys) {
        assertThat(support.db().query("SELECT record_key, error_code, error_message FROM sync_failures"))
                .as("dead letters or retries for legal data").isEmpty();
        Map<String, String> documentOf = new LinkedHashMap<>();
        for (Map<String, Object> m : support.db().query(
                "SELECT record_key, document_id FROM synced_documents WHERE config_id = ? AND deleted = 0", configId)) {
            documentOf.put((String) m.get("record_key"), (String) m.get("document_id"));
        }
        assertThat(documentOf.keySet()).as("record keys with a document").containsExactlyInAnyOrderElementsOf(live.keySet());
        Map<String, FakeDocument> docs = new LinkedHashMap<>();
        coze.documents(dataset).forEach(d -> docs.put(d.documentId(), d));
        assertThat(docs.keySet()).as("documents in Coze").containsExactlyInAnyOrderElementsOf(documentOf.values());
        for (var e : live.entrySet()) {
            FakeDocument doc = docs.get(documentOf.get(e.getKey()));
            assertThat(doc.status()).isEqualTo(FakeDocument.DONE);
            String mismatch = t.mismatch(doc.content(), fields, keys.get(e.getKey()), e.getValue());
            assertThat(mismatch).as("document of row %s (fields %s)", Hostile.visible(e.getKey()), fields).isNull();
        }
    }

    private void insert(Connection c, HostileTable t, KeyValue key, Map<String, Map<Column, ColumnKind.Cell>> live,
            Map<String, KeyValue> binds) throws SQLException {
        Map<Column, ColumnKind.Cell> row = t.row();
        try (PreparedStatement ps = c.prepareStatement(t.insertSql(), Statement.RETURN_GENERATED_KEYS)) {
            int p = 1;
            if (key.bind() != null) {
                ps.setObject(p++, key.bind());
            }
            for (ColumnKind.Cell cell : row.values()) {
                ps.setObject(p++, cell.bind());
            }
            ps.executeUpdate();
            KeyValue known = key;
            if (t.key.autoIncrement()) {
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    known = key.known(keys.getLong(1), Long.toString(keys.getLong(1)));
                }
            }
            live.put(known.recordKey(), row);
            binds.put(known.recordKey(), known);
        }
    }

    private long createConfig(String name, String table, String dataset, List<String> fields) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("tableName", table);
        body.put("datasetId", dataset);
        body.put("fields", fields);
        Response created = api().body(JSON.writeValueAsString(body)).post("/api/v1/sync-configs");
        assertThat(created.statusCode()).as("POST /api/v1/sync-configs: %s", created.asString()).isEqualTo(201);
        return ((Number) created.path("id")).longValue();
    }

    /** Runs writes on one connection whose session time zone is UTC, so TIMESTAMP values read back as written. */
    private void write(SqlWork work) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute("SET time_zone = '+00:00'");
            }
            work.run(c);
        }
    }

    @FunctionalInterface
    private interface SqlWork {
        void run(Connection c) throws Exception;
    }

    private static String pathSegment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String quote(String name) {
        return "`" + name.replace("`", "``") + "`";
    }
}
