package io.cozecdc.api;

import static io.cozecdc.testing.Api.api;
import static io.cozecdc.testing.Api.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import io.cozecdc.capture.TriggerService;
import io.cozecdc.configs.SyncConfigRepository;
import io.cozecdc.testing.InjectFakeCoze;
import io.cozecdc.testing.PipelineSupport;
import io.cozecdc.testing.coze.FakeCoze;

/** Captured tables, pending changes, cleanup, and configuration import/export. */
@QuarkusTest
class OperationsApiTest {

    @Inject
    SyncConfigRepository configs;
    @Inject
    TriggerService triggers;
    @InjectFakeCoze
    FakeCoze coze;

    @Inject
    PipelineSupport support;

    @BeforeEach
    void setUp() {
        support.reset();
        support.db().execute("DROP TABLE IF EXISTS t_ops", "CREATE TABLE t_ops (code VARCHAR(10) PRIMARY KEY, v INT)",
                "DROP TABLE IF EXISTS t_ops_nokey", "CREATE TABLE t_ops_nokey (v INT)");
    }

    @AfterEach
    void tearDown() {
        triggers.remove("t_ops").await().atMost(PipelineSupport.WAIT);
        support.db().execute("DROP TABLE IF EXISTS t_ops", "DROP TABLE IF EXISTS t_ops_nokey");
    }

    @Test
    void tablesCanBeCapturedListedPrintedAndReleased() {
        api().body("{\"table\":\"t_ops\"}").post("/api/v1/tables").then().statusCode(201)
                .body("table", equalTo("t_ops")).body("keyColumn", equalTo("code")).body("triggers", equalTo("INSTALLED"));
        api().get("/api/v1/tables").then().statusCode(200).body("table", hasItem("t_ops")).body("table", hasItem("products"));
        api().accept("text/plain").get("/api/v1/tables/t_ops/trigger-sql").then().statusCode(200)
                .contentType(startsWith("text/plain")).body(containsString("CREATE TRIGGER `trigger_t_ops_insert`"));

        support.db().execute("ALTER TABLE t_ops ADD COLUMN extra INT");
        api().get("/api/v1/tables").then().body("find { it.table == 't_ops' }.triggers", equalTo("DRIFTED"));
        support.db().execute("DROP TRIGGER trigger_t_ops_delete");
        api().get("/api/v1/tables").then().body("find { it.table == 't_ops' }.triggers", equalTo("MISSING"));

        api().delete("/api/v1/tables/t_ops").then().statusCode(204);
        api().delete("/api/v1/tables/t_ops").then().statusCode(404);
        assertThat(support.db().count("SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_TABLE = 't_ops'")).isZero();
    }

    @Test
    void badTablesAreRefusedClearly() {
        api().body("{\"table\":\"t_ops_nokey\"}").post("/api/v1/tables").then().statusCode(400)
                .body("errors[0].field", equalTo("table")).body("errors[0].message", containsString("no primary key"));
        api().body("{\"table\":\"nope`; DROP TABLE t_ops; --\"}").post("/api/v1/tables").then().statusCode(400)
                .body("errors[0].message", containsString("does not exist"));
        api().body("{}").post("/api/v1/tables").then().statusCode(400).body("errors[0].field", equalTo("table"));
        api().accept("text/plain").get("/api/v1/tables/nope/trigger-sql").then().statusCode(404);
        assertThat(support.db().count("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
                + "AND TABLE_NAME = 't_ops'")).isEqualTo(1);
    }

    @Test
    void aTableUsedByAnEnabledConfigCannotBeReleased() {
        String dataset = coze.createDataset("ops");
        api().body(config("uses-products", "products", dataset, "[]")).post("/api/v1/sync-configs").then().statusCode(201);
        api().delete("/api/v1/tables/products").then().statusCode(409).body("detail", containsString("uses-products"));
        assertThat(support.db().count("SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_TABLE = 'products'"))
                .isEqualTo(3);
    }

    @Test
    void pendingChangesPerTable() {
        support.insertProduct("A", "a", "1.00", null, 1);
        support.insertProduct("B", "b", "1.00", null, 1);
        support.db().update("INSERT INTO suppliers (id, name) VALUES (UUID(), 's')");
        api().get("/api/v1/changes/pending").then().statusCode(200)
                .body("total", equalTo(3))
                .body("tables.table", contains("products", "suppliers"))
                .body("tables[0].pending", equalTo(2));
    }

    @Test
    void cleanupReportsHowManyRowsItRemoved() {
        support.db().execute("INSERT INTO data_change_logs (table_name, record_uuid, operation_type, processed, processed_at) "
                + "VALUES ('t', 'a', 'INSERT', 1, NOW(3) - INTERVAL 30 DAY), ('t', 'b', 'INSERT', 0, NULL)");
        api().post("/api/v1/maintenance/cleanup").then().statusCode(200).body("removed", equalTo(1));
    }

    @Test
    void configurationsExportAndImportAsYamlAndJson() {
        String dataset = coze.createDataset("ops");
        api().body(config("exported", "products", dataset, "[\"id\",\"name\"]")).post("/api/v1/sync-configs").then().statusCode(201);
        String yaml = api().queryParam("format", "yaml").get("/api/v1/sync-configs/export").then().statusCode(200)
                .contentType(startsWith("application/yaml")).extract().asString();
        assertThat(yaml).doesNotContain("null").contains("name: exported").contains("datasetId: \"" + dataset + "\"").contains("- id");
        api().get("/api/v1/sync-configs/export").then().statusCode(200).body("syncConfigs[0].datasetId", equalTo(dataset));

        String changed = yaml.replace("  - name\n", "  - name\n  - sku\n") + "- name: imported\n  tableName: suppliers\n  datasetId: \""
                + dataset + "\"\n  fields: []\n  enabled: false\n";
        api().contentType("application/yaml").queryParam("dryRun", true).body(changed.getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/api/v1/sync-configs/import")
                .then().statusCode(200).body("dryRun", equalTo(true)).body("created", contains("imported"))
                .body("updated", contains("exported"));
        assertThat(support.db().count("SELECT COUNT(*) FROM sync_configs")).as("a dry run changes nothing").isEqualTo(1);

        api().contentType("application/yaml").body(changed.getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/api/v1/sync-configs/import").then().statusCode(200)
                .body("created", contains("imported")).body("updated", contains("exported"));
        api().get("/api/v1/sync-configs").then().body("find { it.name == 'exported' }.fields", contains("id", "name", "sku"))
                .body("find { it.name == 'imported' }.enabled", equalTo(false));
        api().contentType("application/yaml").body(changed.getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/api/v1/sync-configs/import").then().statusCode(200)
                .body("unchanged", contains("exported", "imported"));

        String bad = "{\"syncConfigs\":[{\"name\":\"x\",\"tableName\":\"products\",\"datasetId\":\"" + dataset + "\"},"
                + "{\"name\":\"y\",\"tableName\":\"nope\",\"datasetId\":\"1\"}]}";
        api().body(bad).post("/api/v1/sync-configs/import").then().statusCode(400)
                .body("errors[0].field", equalTo("syncConfigs[1].tableName"));
        assertThat(support.db().count("SELECT COUNT(*) FROM sync_configs WHERE name = 'x'")).as("all or nothing").isZero();
        api().contentType("application/yaml").body("syncConfigs: [ {name: ".getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/api/v1/sync-configs/import").then().statusCode(400);
    }
}
