package io.cozecdc.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import io.cozecdc.testing.StartGate;
import io.cozecdc.testing.TestDb;
import io.cozecdc.testing.coze.FakeCoze;
import io.cozecdc.testing.process.DatabaseServer;
import io.cozecdc.testing.process.ServiceProcess;

/**
 * Issue 19: the packaged service on a MariaDB set up like managed MySQL 8 (binary logging on, ROW format,
 * MySQL 8's default sql_mode) with a user holding exactly the grants docs/operations.md lists and no SUPER,
 * and cdc.capture.tables set. Without log_bin_trust_function_creators it starts, stays up, says why and how
 * to fix it (readiness, API, a Chinese log line with CDC_LOG_LANGUAGE=zh); after the documented fix, the
 * table is captured through the API and a row reaches Coze.
 */
@Execution(ExecutionMode.CONCURRENT) // beside the other tests, two ITs at a time: see surefire in the pom
@ExtendWith(StartGate.class) // once the in-process tests' application has started
class ManagedMySqlServiceIT {

    private static final String GRANTS = "SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, DROP, INDEX, TRIGGER, "
            + "LOCK TABLES, CREATE ROUTINE, ALTER ROUTINE, EXECUTE, EVENT ON `{db}`.*";
    private static final String MYSQL8_SQL_MODE = "ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,"
            + "ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION";

    @Test
    void withoutTheParameterTheServiceExplainsAndAfterTheFixItSyncs() {
        try (DatabaseServer db = DatabaseServer.builder("managed-mysql-service")
                        .serverArgs("--log-bin=mysql-bin", "--binlog-format=ROW", "--log-bin-trust-function-creators=0",
                                "--sql-mode=" + MYSQL8_SQL_MODE)
                        .grant(GRANTS)
                        .start();
                FakeCoze coze = FakeCoze.start("coze-token-managed");
                ServiceProcess service = ServiceProcess.builder("managed-mysql")
                        .database(db)
                        .coze(coze.baseUrl(), "coze-token-managed")
                        .jvmArgs("-Xmx256m")
                        .setting("cdc.poll.interval", "100ms")
                        .setting("cdc.capture.tables", "products")
                        .env("CDC_LOG_LANGUAGE", "zh")
                        .waitReady(false)
                        .start()) {
            // started (migrations as the non-SUPER user included) but not ready, and it says why and how
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                var started = service.get("/q/health/started");
                return started != null && started.statusCode() == 200;
            });
            var ready = service.get("/q/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("cdc-database", "BINLOG_TRUST_FUNCTION_CREATORS", "错误 1419",
                    "log_bin_trust_function_creators 设为 ON", "参数设置", "参数模板");
            assertThat(service.log()).contains("ERROR", "未安装表 products 的捕获触发器", "log_bin_trust_function_creators 设为 ON");
            service.api().body("{\"table\":\"products\"}").post("/api/v1/tables")
                    .then().statusCode(409).body("type", containsString("database-refuses-capture"))
                    .body("detail", containsString("log_bin_trust_function_creators"));
            assertThat(service.isAlive()).as("no crash, no restart loop").isTrue();

            // the documented fix, as an administrator would apply it in the console
            TestDb root = db.testDb();
            root.execute("SET GLOBAL log_bin_trust_function_creators = 1");
            service.awaitReady(Duration.ofSeconds(30));
            service.api().body("{\"table\":\"products\"}").post("/api/v1/tables")
                    .then().statusCode(201).body("triggers", equalTo("INSTALLED"));

            String dataset = coze.createDataset("managed-kb");
            service.api().body("{\"name\":\"managed\",\"tableName\":\"products\",\"datasetId\":\"" + dataset
                    + "\",\"fields\":[\"id\",\"name\",\"unit_price\"]}")
                    .post("/api/v1/sync-configs")
                    .then().statusCode(201).body("status", equalTo("ACTIVE"));
            String id = UUID.randomUUID().toString();
            root.update("INSERT INTO products (id, sku, name, unit_price, stock_quantity) VALUES (?, 'M-1', '扳手', 10.00, 3)", id);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(coze.documents(dataset))
                    .singleElement()
                    .satisfies(d -> assertThat(d.content()).isEqualTo("id: " + id + "\nname: 扳手\nunit_price: 10.00\n")));
            assertThat(service.isAlive()).isTrue();
        }
    }

    @Test
    void explicitDefaultsForTimestampOffStopsStartupWithTheFixBeforeAnyMigration() {
        try (DatabaseServer db = DatabaseServer.builder("explicit-defaults-service")
                        .serverArgs("--explicit-defaults-for-timestamp=OFF", "--sql-mode=" + MYSQL8_SQL_MODE)
                        .start();
                FakeCoze coze = FakeCoze.start("coze-token-defaults");
                ServiceProcess service = ServiceProcess.builder("explicit-defaults")
                        .database(db)
                        .coze(coze.baseUrl(), "coze-token-defaults")
                        .jvmArgs("-Xmx256m")
                        .waitReady(false)
                        .start()) {
            await().atMost(Duration.ofSeconds(90)).until(() -> !service.isAlive());
            assertThat(service.log()).contains("explicit_defaults_for_timestamp=OFF", "explicit_defaults_for_timestamp = ON")
                    .doesNotContain("Invalid default value for"); // the server's own 1067 never happens
            assertThat(db.testDb().count("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? "
                    + "AND TABLE_NAME = 'data_change_logs'", db.database())).isZero();
        }
    }
}
