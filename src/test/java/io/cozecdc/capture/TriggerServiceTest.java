package io.cozecdc.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;

import io.cozecdc.capture.TriggerSqlGenerator.Operation;
import io.cozecdc.testing.TestDb;

/** Installing, refusing, re-installing, printing and removing capture triggers on ad-hoc tables. */
@QuarkusTest
class TriggerServiceTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    AgroalDataSource dataSource;
    @Inject
    TriggerService triggers;
    @Inject
    TableDescriber describer;
    @Inject
    TriggerSqlGenerator generator;

    TestDb db;

    @BeforeEach
    void setUp() {
        db = new TestDb(dataSource);
        dropScratchTables();
        db.execute("DELETE FROM data_change_logs");
    }

    @AfterEach
    void tearDown() {
        dropScratchTables();
    }

    private void dropScratchTables() {
        for (String t : List.of("t_int_key", "t_varchar_key", "t_no_key", "t_composite", "t_manual", "t_twin",
                "t_alter", "t_odd_names", "t_view_src")) {
            await(triggers.remove(t));
            db.execute("DROP TABLE IF EXISTS `" + t + "`");
        }
        db.execute("DROP VIEW IF EXISTS v_scratch");
    }

    @Test
    void anIntegerKeyIsCapturedAsText() {
        db.execute("CREATE TABLE t_int_key (id BIGINT AUTO_INCREMENT PRIMARY KEY, qty INT, price DECIMAL(10,2))");
        await(triggers.install("t_int_key"));
        db.update("INSERT INTO t_int_key (qty, price) VALUES (3, 9.99)");
        db.update("UPDATE t_int_key SET qty = 4");
        db.update("DELETE FROM t_int_key");
        List<Map<String, Object>> rows = db.changes("t_int_key");
        assertThat(rows).extracting(r -> r.get("operation_type")).containsExactly("INSERT", "UPDATE", "DELETE");
        assertThat(rows).allSatisfy(r -> assertThat(r.get("record_uuid")).isEqualTo("1"));
        assertThat(TestDb.json(rows.get(1).get("change_data")).get("qty").asInt()).isEqualTo(4);
    }

    @Test
    void aVarcharKeyIsCaptured() {
        db.execute("CREATE TABLE t_varchar_key (code VARCHAR(40) PRIMARY KEY, label VARCHAR(100))");
        await(triggers.install("t_varchar_key"));
        db.update("INSERT INTO t_varchar_key VALUES ('A-100/β', 'first')");
        assertThat(db.changes("t_varchar_key")).singleElement()
                .satisfies(r -> assertThat(r.get("record_uuid")).isEqualTo("A-100/β"));
        assertThat(await(triggers.status("t_varchar_key")).state()).isEqualTo(TriggerState.INSTALLED);
    }

    @Test
    void aTableWithoutPrimaryKeyIsRefusedWithTheTableAndTheReason() {
        db.execute("CREATE TABLE t_no_key (a INT, b INT)");
        assertThatThrownBy(() -> await(triggers.install("t_no_key")))
                .isInstanceOf(UnsupportedTableException.class)
                .hasMessageContaining("t_no_key").hasMessageContaining("no primary key");
        assertThat(db.query("SELECT * FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_TABLE = 't_no_key'")).isEmpty();
    }

    @Test
    void aCompositeKeyIsRefusedWithTheTableAndTheReason() {
        db.execute("CREATE TABLE t_composite (a INT, b INT, c INT, PRIMARY KEY (a, b))");
        assertThatThrownBy(() -> await(triggers.install("t_composite")))
                .isInstanceOf(UnsupportedTableException.class)
                .hasMessageContaining("t_composite").hasMessageContaining("composite").hasMessageContaining("a, b");
    }

    @Test
    void unknownTablesViewsAndTheServicesOwnTablesAreRefused() {
        assertThatThrownBy(() -> await(triggers.install("no_such_table")))
                .isInstanceOf(UnknownTableException.class).hasMessageContaining("no_such_table");
        assertThatThrownBy(() -> await(triggers.install("products; DROP TABLE products")))
                .isInstanceOf(UnknownTableException.class);
        db.execute("CREATE TABLE t_view_src (id INT PRIMARY KEY)", "CREATE VIEW v_scratch AS SELECT id FROM t_view_src");
        assertThatThrownBy(() -> await(triggers.install("v_scratch")))
                .isInstanceOf(UnsupportedTableException.class).hasMessageContaining("view");
        // every table the service's own migrations create, and Flyway's history tables
        List<String> own = new java.util.ArrayList<>(List.of("cdc_schema_history", "cdc_sample_schema_history"));
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of("src/main/resources/db/migration"))) {
            for (var file : files.toList()) {
                var m = java.util.regex.Pattern.compile("CREATE TABLE (?:IF NOT EXISTS )?`?(\\w+)")
                        .matcher(java.nio.file.Files.readString(file));
                while (m.find()) {
                    own.add(m.group(1));
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(own).contains("data_change_logs", "sync_configs", "cdc_job_leases", "backfill_jobs");
        for (String table : own) {
            assertThatThrownBy(() -> await(triggers.install(table))).as("table %s", table)
                    .isInstanceOf(UnsupportedTableException.class).hasMessageContaining("own tables");
        }
    }

    @Test
    void addingAColumnIsDetectedAsDriftAndPickedUpByReinstall() {
        db.execute("CREATE TABLE t_alter (id INT PRIMARY KEY, name VARCHAR(20))");
        await(triggers.install("t_alter"));
        assertThat(await(triggers.status("t_alter")).state()).isEqualTo(TriggerState.INSTALLED);

        db.execute("ALTER TABLE t_alter ADD COLUMN colour VARCHAR(20)");
        CaptureStatus drifted = await(triggers.status("t_alter"));
        assertThat(drifted.state()).isEqualTo(TriggerState.DRIFTED);
        assertThat(drifted.detail()).contains("columns changed");
        db.update("INSERT INTO t_alter VALUES (1, 'before', 'red')");
        assertThat(TestDb.json(db.changes("t_alter").get(0).get("change_data")).has("colour")).isFalse();

        await(triggers.install("t_alter"));
        assertThat(await(triggers.status("t_alter")).state()).isEqualTo(TriggerState.INSTALLED);
        db.update("UPDATE t_alter SET colour = 'blue' WHERE id = 1");
        assertThat(TestDb.json(db.changes("t_alter").get(1).get("change_data")).get("colour").asText()).isEqualTo("blue");
    }

    @Test
    void aDroppedTriggerIsReportedMissing() {
        db.execute("CREATE TABLE t_alter (id INT PRIMARY KEY, name VARCHAR(20))");
        await(triggers.install("t_alter"));
        db.execute("DROP TRIGGER trigger_t_alter_update");
        CaptureStatus status = await(triggers.status("t_alter"));
        assertThat(status.state()).isEqualTo(TriggerState.MISSING);
        assertThat(status.detail()).contains("trigger_t_alter_update");
    }

    @Test
    void aHandEditedTriggerIsReportedDrifted() {
        db.execute("CREATE TABLE t_alter (id INT PRIMARY KEY, name VARCHAR(20))");
        await(triggers.install("t_alter"));
        db.execute("DROP TRIGGER trigger_t_alter_insert",
                "CREATE TRIGGER trigger_t_alter_insert AFTER INSERT ON t_alter FOR EACH ROW "
                        + "INSERT INTO data_change_logs (table_name, record_uuid, operation_type) VALUES ('t_alter', NEW.id, 'INSERT')");
        CaptureStatus status = await(triggers.status("t_alter"));
        assertThat(status.state()).isEqualTo(TriggerState.DRIFTED);
        assertThat(status.detail()).contains("changed by hand");
    }

    @Test
    void theDbaPrintoutRunByHandCreatesTheSameTriggers() {
        db.execute("CREATE TABLE t_manual (id CHAR(36) PRIMARY KEY, name VARCHAR(50), qty INT)");
        String script = await(triggers.triggerSql("t_manual"));
        assertThat(script).contains("trigger_t_manual_insert").contains("trigger_t_manual_update")
                .contains("trigger_t_manual_delete");
        runScript(script);

        TableSchema schema = await(describer.describe("t_manual"));
        List<Map<String, Object>> installed = db.query(
                "SELECT TRIGGER_NAME, ACTION_STATEMENT, ACTION_TIMING, EVENT_MANIPULATION FROM information_schema.TRIGGERS "
                        + "WHERE TRIGGER_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = 't_manual' ORDER BY TRIGGER_NAME");
        assertThat(installed).hasSize(3);
        for (Operation op : Operation.values()) {
            Map<String, Object> row = installed.stream()
                    .filter(r -> r.get("TRIGGER_NAME").equals(TriggerSqlGenerator.triggerName("t_manual", op)))
                    .findFirst().orElseThrow();
            assertThat(row.get("ACTION_TIMING")).isEqualTo("AFTER");
            assertThat(row.get("EVENT_MANIPULATION")).isEqualTo(op.name());
            assertThat(normalise(row.get("ACTION_STATEMENT"))).isEqualTo(normalise(generator.body(schema, op)));
        }

        // the same table structure installed by the service gets the same bodies (table name aside)
        db.execute("CREATE TABLE t_twin (id CHAR(36) PRIMARY KEY, name VARCHAR(50), qty INT)");
        await(triggers.install("t_twin"));
        for (Operation op : Operation.values()) {
            Object manual = db.scalar("SELECT ACTION_STATEMENT FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() "
                    + "AND TRIGGER_NAME = ?", TriggerSqlGenerator.triggerName("t_manual", op));
            Object service = db.scalar("SELECT ACTION_STATEMENT FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() "
                    + "AND TRIGGER_NAME = ?", TriggerSqlGenerator.triggerName("t_twin", op));
            assertThat(normalise(manual).replace("t_manual", "t_twin")).isEqualTo(normalise(service));
        }
        db.update("INSERT INTO t_manual VALUES ('k1', 'n', 1)");
        assertThat(db.changes("t_manual")).singleElement().satisfies(r -> assertThat(r.get("record_uuid")).isEqualTo("k1"));
    }

    @Test
    void oddButLegalColumnNamesRoundTrip() {
        db.execute("CREATE TABLE t_odd_names (`key` INT PRIMARY KEY, `unit price` DECIMAL(8,2), `it's` VARCHAR(10), "
                + "`back``tick` VARCHAR(10), `名称` VARCHAR(20), `slash\\path` VARCHAR(10), `select` INT)");
        await(triggers.install("t_odd_names"));
        db.update("INSERT INTO t_odd_names VALUES (7, 1.50, 'q''s', 'b`t', '扳手', 'a\\\\b', 3)");
        var data = TestDb.json(db.changes("t_odd_names").get(0).get("change_data"));
        assertThat(data.get("unit price").decimalValue()).isEqualByComparingTo("1.50");
        assertThat(data.get("it's").asText()).isEqualTo("q's");
        assertThat(data.get("back`tick").asText()).isEqualTo("b`t");
        assertThat(data.get("名称").asText()).isEqualTo("扳手");
        assertThat(data.get("slash\\path").asText()).isEqualTo("a\\b");
        assertThat(data.get("select").asInt()).isEqualTo(3);
        assertThat(await(triggers.status("t_odd_names")).state()).isEqualTo(TriggerState.INSTALLED);
    }

    @Test
    void removeDropsTheTriggersAndForgetsTheTable() {
        db.execute("CREATE TABLE t_int_key (id INT PRIMARY KEY)");
        await(triggers.install("t_int_key"));
        assertThat(await(triggers.remove("t_int_key"))).isTrue();
        assertThat(await(triggers.status("t_int_key"))).isNull();
        db.update("INSERT INTO t_int_key VALUES (1)");
        assertThat(db.changes("t_int_key")).isEmpty();
    }

    @Test
    void reinstallingWhileTheApplicationWritesLosesNoChange() throws Exception {
        db.execute("CREATE TABLE t_int_key (id INT AUTO_INCREMENT PRIMARY KEY, v INT)");
        await(triggers.install("t_int_key"));
        var stop = new java.util.concurrent.atomic.AtomicBoolean();
        var written = new java.util.concurrent.atomic.AtomicInteger();
        Thread writer = new Thread(() -> {
            while (!stop.get()) {
                db.update("INSERT INTO t_int_key (v) VALUES (1)");
                written.incrementAndGet();
            }
        });
        writer.start();
        try {
            for (int i = 0; i < 8; i++) {
                await(triggers.install("t_int_key"));
            }
        } finally {
            stop.set(true);
            writer.join(10_000);
        }
        assertThat(written.get()).isGreaterThan(0);
        assertThat(db.count("SELECT COUNT(*) FROM t_int_key")).isEqualTo(written.get());
        assertThat(db.count("SELECT COUNT(*) FROM data_change_logs WHERE table_name = 't_int_key'")).isEqualTo(written.get());
    }

    /** Runs a script the way the mysql client does: comments skipped, statements end at the current DELIMITER. */
    private void runScript(String script) {
        String delimiter = ";";
        StringBuilder statement = new StringBuilder();
        for (String line : script.lines().toList()) {
            if (line.startsWith("--")) {
                continue;
            }
            if (line.startsWith("DELIMITER ")) {
                delimiter = line.substring("DELIMITER ".length()).strip();
                continue;
            }
            if (line.endsWith(delimiter)) {
                statement.append(line, 0, line.length() - delimiter.length());
                db.execute(statement.toString());
                statement.setLength(0);
            } else {
                statement.append(line).append('\n');
            }
        }
        assertThat(statement.toString()).as("a statement without its delimiter").isBlank();
    }

    /** Whitespace and charset introducers, which the server may rewrite when it stores a trigger. */
    private static String normalise(Object sql) {
        return String.valueOf(sql).replace("_utf8mb4 X'", "X'").strip().replaceAll("\\s+", " ");
    }

    private static <T> T await(Uni<T> uni) {
        return uni.await().atMost(WAIT);
    }
}
