package io.cozecdc.configapi;

import static io.cozecdc.testing.Api.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import java.util.List;
import java.util.logging.Level;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import io.cozecdc.configs.ConfigRegistry;
import io.cozecdc.configs.Relation;
import io.cozecdc.testing.LogCapture;
import io.cozecdc.testing.PipelineSupport;

/** The related list of a configuration (issue 16) through the API: its shape, every validation rule, the index warning. */
@QuarkusTest
class RelatedConfigApiTest {

    static final String DATASET = "7486431234567890123";
    /** The issue's example, verbatim. */
    static final String PRODUCTS_KB = """
            {"name": "products-kb", "tableName": "products", "datasetId": "7486431234567890123",
             "fields": ["name", "sku", "unit_price", "description"],
             "related": [
               {"name": "supplier", "table": "suppliers", "join": {"supplier_id": "id"}, "fields": ["name", "city", "phone"]},
               {"name": "movements", "table": "inventory_records", "join": {"id": "product_id"},
                "fields": ["warehouse", "change_type", "quantity", "recorded_at"], "orderBy": "recorded_at DESC", "limit": 5}
             ]}""";

    @Inject
    PipelineSupport support;
    @Inject
    ConfigRegistry registry;

    @BeforeEach
    void setUp() {
        support.reset();
    }

    @Test
    void theIssuesExampleIsCreatedShownExportedAndReimportedInItsShape() {
        int id = api().body(PRODUCTS_KB).post("/api/v1/sync-configs").then().statusCode(201)
                .body("related", hasSize(2))
                .body("related[0].name", equalTo("supplier"))
                .body("related[0].table", equalTo("suppliers"))
                .body("related[0].join.supplier_id", equalTo("id"))
                .body("related[0].fields", contains("name", "city", "phone"))
                .body("related[0]", not(org.hamcrest.Matchers.hasKey("limit")))
                .body("related[0]", not(org.hamcrest.Matchers.hasKey("orderBy")))
                .body("related[1].orderBy", equalTo("recorded_at DESC"))
                .body("related[1].limit", equalTo(5))
                .body("warnings", empty())
                .body("$", not(org.hamcrest.Matchers.hasKey("rowsToCheck")))
                .extract().path("id");
        Relation movements = registry.byId(id).orElseThrow().related().get(1);
        assertThat(movements.toMany()).isTrue();
        assertThat(registry.byId(id).orElseThrow().related().get(0).toMany()).isFalse();

        api().get("/api/v1/sync-configs/" + id).then().statusCode(200)
                .body("related.name", contains("supplier", "movements"))
                .body("$", not(org.hamcrest.Matchers.hasKey("warnings")));
        String yaml = api().accept("application/yaml").get("/api/v1/sync-configs/export").then().statusCode(200).extract().asString();
        assertThat(yaml).contains("related:").contains("supplier_id: id").contains("orderBy: recorded_at DESC").contains("limit: 5");
        String json = api().get("/api/v1/sync-configs/export").then().statusCode(200)
                .body("syncConfigs[0].related[1].join.id", equalTo("product_id")).extract().asString();
        api().body(json).post("/api/v1/sync-configs/import").then().statusCode(200)
                .body("unchanged", contains("products-kb"));
        String moreRows = json.replace("\"limit\":5", "\"limit\":7");
        assertThat(moreRows).isNotEqualTo(json);
        api().body(moreRows).post("/api/v1/sync-configs/import").then().statusCode(200).body("updated", contains("products-kb"));
        assertThat(registry.byId(id).orElseThrow().related().get(1).limit()).isEqualTo(7);
    }

    @Test
    void creatingInstallsTheTriggersOfEveryTableItNamesAtEveryLevel() {
        support.db().execute("DROP TABLE IF EXISTS t_rel_regions", "DROP TABLE IF EXISTS t_rel_warehouses",
                "CREATE TABLE t_rel_regions (id INT PRIMARY KEY, name VARCHAR(50))",
                "CREATE TABLE t_rel_warehouses (id INT PRIMARY KEY, code VARCHAR(100) NOT NULL, region_id INT, "
                        + "UNIQUE KEY uk_code (code), KEY idx_region (region_id))");
        try {
            String body = """
                    {"name": "records", "tableName": "inventory_records", "datasetId": "7486431234567890123",
                     "related": [{"name": "wh", "table": "t_rel_warehouses", "join": {"warehouse": "code"},
                                  "related": [{"name": "region", "table": "t_rel_regions", "join": {"region_id": "id"}}]}]}""";
            api().body(body).post("/api/v1/sync-configs").then().statusCode(201)
                    .body("warnings", contains("related[0].join: table inventory_records has no index starting with (warehouse): "
                            + "finding the documents a change of t_rel_warehouses affects scans the table"))
                    .body("related[0].related[0].name", equalTo("region"));
            for (String table : List.of("t_rel_warehouses", "t_rel_regions")) {
                assertThat(support.db().count("SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()"
                        + " AND EVENT_OBJECT_TABLE = ?", table)).as(table).isEqualTo(3);
            }
        } finally {
            support.db().execute("DELETE FROM sync_configs", "DROP TABLE IF EXISTS t_rel_warehouses", "DROP TABLE IF EXISTS t_rel_regions",
                    "DELETE FROM capture_tables WHERE table_name IN ('t_rel_warehouses', 't_rel_regions')");
        }
    }

    @Test
    void aJoinWithoutAnIndexIsAcceptedWithAWarningInTheAnswerAndTheLog() {
        String body = """
                {"name": "by-operator", "tableName": "products", "datasetId": "7486431234567890123",
                 "related": [{"name": "supplier", "table": "suppliers", "join": {"supplier_id": "id"}},
                             {"name": "handled", "table": "inventory_records", "join": {"name": "operator"}, "limit": 3}]}""";
        try (LogCapture log = LogCapture.of("io.cozecdc.configapi")) {
            int id = api().body(body).post("/api/v1/sync-configs").then().statusCode(201)
                    .body("warnings", containsInAnyOrder(
                            containsString("related[1].join: table inventory_records has no index starting with (operator)"),
                            containsString("related[1].join: table products has no index starting with (name)")))
                    .extract().path("id");
            assertThat(log.lines()).anySatisfy(l -> {
                assertThat(l.level()).isEqualTo(Level.WARNING);
                assertThat(l.message()).contains("by-operator").contains("inventory_records has no index starting with (operator)");
            });
            api().body(body.replace("\"limit\": 3", "\"limit\": 4")).put("/api/v1/sync-configs/" + id).then().statusCode(200)
                    .body("warnings", hasSize(2));
        }
    }

    @Test
    void everyRuleRefusesWithAFieldErrorNamingTheRelation() {
        support.db().execute("DROP TABLE IF EXISTS t_rel_codes",
                "CREATE TABLE t_rel_codes (id INT PRIMARY KEY, code VARCHAR(100) NOT NULL, note JSON, UNIQUE KEY uk_code (code))");
        try {
            refused("[{\"name\": \"s\", \"table\": \"no_such_table\", \"join\": {\"supplier_id\": \"id\"}}]",
                    "related[0].table", "no_such_table");
            refused("[{\"name\": \"s\", \"table\": \"suppliers\", \"join\": {\"supplier_id\": \"colour\"}}]",
                    "related[0].join", "'colour' is not a column of table suppliers");
            refused("[{\"name\": \"s\", \"table\": \"suppliers\", \"join\": {\"colour\": \"id\"}}]",
                    "related[0].join", "'colour' is not a column of table products");
            refused("[{\"name\": \"s\", \"table\": \"suppliers\", \"join\": {}}]", "related[0].join", "is required");
            refused("[{\"name\": \"s\", \"table\": \"suppliers\", \"join\": {\"supplier_id\": \"id\"}, \"fields\": [\"name\", \"city\", \"colour\"]}]",
                    "related[0].fields[2]", "'colour' is not a column of table suppliers");
            refused("[{\"name\": \"s\", \"table\": \"suppliers\", \"join\": {\"stock_quantity\": \"id\"}}]",
                    "related[0].join", "products.stock_quantity (int(11)) and suppliers.id (char(36)) cannot be joined");
            refused("[{\"name\": \"m\", \"table\": \"inventory_records\", \"join\": {\"id\": \"product_id\"}}]",
                    "related[0].limit", "is required");
            refused("[{\"name\": \"m\", \"table\": \"inventory_records\", \"join\": {\"id\": \"product_id\"}, \"limit\": 51}]",
                    "related[0].limit", "from 1 to 50");
            refused("[{\"name\": \"m\", \"table\": \"inventory_records\", \"join\": {\"id\": \"product_id\"}, \"limit\": 0}]",
                    "related[0].limit", "from 1 to 50");
            refused("[{\"name\": \"s\", \"table\": \"suppliers\", \"join\": {\"supplier_id\": \"id\"}, \"limit\": 5}]",
                    "related[0].limit", "applies only to to-many relations");
            refused("[{\"name\": \"m\", \"table\": \"inventory_records\", \"join\": {\"id\": \"product_id\"}, \"limit\": 5, "
                    + "\"orderBy\": \"recorded_at, quantity\"}]", "related[0].orderBy", "one column and ASC or DESC");
            refused("[{\"name\": \"m\", \"table\": \"inventory_records\", \"join\": {\"id\": \"product_id\"}, \"limit\": 5, "
                    + "\"orderBy\": \"recorded_at SIDEWAYS\"}]", "related[0].orderBy", "one column and ASC or DESC");
            refused("[{\"name\": \"m\", \"table\": \"inventory_records\", \"join\": {\"id\": \"product_id\"}, \"limit\": 5, "
                    + "\"orderBy\": \"colour DESC\"}]", "related[0].orderBy", "'colour' is not a column of table inventory_records");
            refused("[{\"name\": \"s\", \"table\": \"suppliers\", \"join\": {\"supplier_id\": \"id\"}},"
                    + " {\"name\": \"s\", \"table\": \"suppliers\", \"join\": {\"supplier_id\": \"id\"}}]",
                    "related[1].name", "'s' is used by another relation");
            refused("[{\"name\": \"sku\", \"table\": \"suppliers\", \"join\": {\"supplier_id\": \"id\"}}]",
                    "related[0].name", "'sku' is a column of table products");
            refused("[{\"name\": \"my-supplier\", \"table\": \"suppliers\", \"join\": {\"supplier_id\": \"id\"}}]",
                    "related[0].name", "letters, digits and _");
            // products -> suppliers -> products
            refused("[{\"name\": \"s\", \"table\": \"suppliers\", \"join\": {\"supplier_id\": \"id\"},"
                    + " \"related\": [{\"name\": \"p\", \"table\": \"products\", \"join\": {\"id\": \"supplier_id\"}}]}]",
                    "related[0].related[0].table", "makes a cycle");
            // a to-many relation below the first level: supplier -> its other products
            refused("[{\"name\": \"s\", \"table\": \"suppliers\", \"join\": {\"supplier_id\": \"id\"},"
                    + " \"related\": [{\"name\": \"m\", \"table\": \"inventory_records\", \"join\": {\"id\": \"product_id\"}, \"limit\": 2}]}]",
                    "related[0].related[0].join", "below the first level only to-one relations");
            // a unique key makes a to-one relation: no limit there
            refused("[{\"name\": \"c\", \"table\": \"t_rel_codes\", \"join\": {\"sku\": \"code\"}, \"limit\": 2}]",
                    "related[0].limit", "applies only to to-many relations");
            refused("[{\"name\": \"c\", \"table\": \"t_rel_codes\", \"join\": {\"created_at\": \"id\"}}]",
                    "related[0].join", "products.created_at (datetime) and t_rel_codes.id (int(11)) cannot be joined");
        } finally {
            support.db().execute("DROP TABLE IF EXISTS t_rel_codes");
        }
    }

    @Test
    void moreThanThreeLevelsAreRefused() {
        support.db().execute("DROP TABLE IF EXISTS t_rel_l3", "DROP TABLE IF EXISTS t_rel_l4",
                "CREATE TABLE t_rel_l3 (id CHAR(36) PRIMARY KEY, next_id INT)", "CREATE TABLE t_rel_l4 (id INT PRIMARY KEY, x INT)");
        try {
            String deep = """
                    {"name": "deep", "tableName": "inventory_records", "datasetId": "7486431234567890123",
                     "related": [{"name": "product", "table": "products", "join": {"product_id": "id"},
                       "related": [{"name": "supplier", "table": "suppliers", "join": {"supplier_id": "id"},
                         "related": [{"name": "l3", "table": "t_rel_l3", "join": {"id": "id"},
                           "related": [{"name": "l4", "table": "t_rel_l4", "join": {"next_id": "id"}}]}]}]}]}""";
            api().body(deep).post("/api/v1/sync-configs").then().statusCode(400)
                    .body("errors.field", contains("related[0].related[0].related[0].related[0]"))
                    .body("errors[0].message", containsString("at most 3 levels"));
            String three = """
                    {"name": "deep", "tableName": "inventory_records", "datasetId": "7486431234567890123",
                     "related": [{"name": "product", "table": "products", "join": {"product_id": "id"},
                       "related": [{"name": "supplier", "table": "suppliers", "join": {"supplier_id": "id"},
                         "related": [{"name": "l3", "table": "t_rel_l3", "join": {"id": "id"}}]}]}]}""";
            api().body(three).post("/api/v1/sync-configs/preview").then().statusCode(200);
        } finally {
            support.db().execute("DROP TABLE IF EXISTS t_rel_l3", "DROP TABLE IF EXISTS t_rel_l4");
        }
    }

    @Test
    void valuesOfTheWrongJsonTypeAreRefusedNotConverted() {
        for (String related : List.of(
                "[{\"name\": \"m\", \"table\": \"inventory_records\", \"join\": {\"id\": \"product_id\"}, \"limit\": \"5\"}]",
                "[{\"name\": \"m\", \"table\": \"inventory_records\", \"join\": {\"id\": \"product_id\"}, \"limit\": 5.5}]",
                "[{\"name\": 7, \"table\": \"suppliers\", \"join\": {\"supplier_id\": \"id\"}}]",
                "[{\"name\": \"s\", \"table\": \"suppliers\", \"join\": {\"supplier_id\": 1}}]",
                "[{\"name\": \"s\", \"table\": \"suppliers\", \"join\": {\"supplier_id\": \"id\"}, \"colour\": 1}]")) {
            api().body(body(related)).post("/api/v1/sync-configs").then().statusCode(400);
        }
        assertThat(support.db().count("SELECT COUNT(*) FROM sync_configs")).isZero();
    }

    @Test
    void theTemplateMayNameRelationsAndTheirFieldsOnly() {
        String ok = "{\"name\": \"t\", \"tableName\": \"products\", \"datasetId\": \"" + DATASET + "\", \"fields\": [\"name\"],"
                + " \"template\": \"{name}：{supplier.name}（{supplier.city}）{#for m in movements}{m.warehouse}{/for} {cdc.capturedAt}\","
                + " \"related\": [{\"name\": \"supplier\", \"table\": \"suppliers\", \"join\": {\"supplier_id\": \"id\"}, \"fields\": [\"name\", \"city\"]},"
                + " {\"name\": \"movements\", \"table\": \"inventory_records\", \"join\": {\"id\": \"product_id\"}, \"limit\": 2}]}";
        api().body(ok).post("/api/v1/sync-configs/preview").then().statusCode(200);
        api().body(ok.replace("{supplier.city}", "{supplier.phone}")).post("/api/v1/sync-configs/preview").then().statusCode(400)
                .body("errors[0].field", equalTo("template"))
                .body("errors[0].message", containsString("{supplier.phone}"))
                .body("errors[0].message", containsString("the relations supplier, movements and their fields"));
    }

    @Test
    void thePreviewRendersJoinedDocumentsOfOneRecordOrTheFirstThreeAndSavesNothing() {
        String supplier = java.util.UUID.randomUUID().toString();
        support.db().update("INSERT INTO suppliers (id, name, city, phone) VALUES (?, '华东五金', '上海', '021-5555')", supplier);
        List<String> keys = new java.util.ArrayList<>();
        for (String sku : List.of("A-1", "B-1", "C-1", "D-1")) {
            keys.add(support.insertProduct(sku, "扳手" + sku, "30.00", "20.00", 3));
        }
        keys.sort(null);
        support.db().update("UPDATE products SET supplier_id = ? WHERE id = ?", supplier, keys.get(0));
        support.db().update("INSERT INTO inventory_records (id, product_id, warehouse, change_type, quantity, recorded_at)"
                + " VALUES (UUID(), ?, '一号仓', 'IN', 5, '2026-12-01 08:00:00.000'), (UUID(), ?, '二号仓', 'OUT', 2, '2026-12-02 09:30:00.500')",
                keys.get(0), keys.get(0));
        long changes = support.db().count("SELECT COUNT(*) FROM data_change_logs");
        String sku = (String) support.db().scalar("SELECT sku FROM products WHERE id = ?", keys.get(0));

        api().body(PRODUCTS_KB).queryParam("recordKey", keys.get(0)).post("/api/v1/sync-configs/preview").then().statusCode(200)
                .body("documents", hasSize(1))
                .body("documents[0].recordKey", equalTo(keys.get(0)))
                .body("documents[0].text", equalTo("name: 扳手" + sku + "\nsku: " + sku + "\nunit_price: 30.00\ndescription: \n"
                        + "supplier.name: 华东五金\nsupplier.city: 上海\nsupplier.phone: 021-5555\n"
                        + "movements:\n- warehouse: 二号仓\n  change_type: OUT\n  quantity: 2\n  recorded_at: 2026-12-02 09:30:00.500\n"
                        + "- warehouse: 一号仓\n  change_type: IN\n  quantity: 5\n  recorded_at: 2026-12-01 08:00:00.000\n"))
                .body("documents[0].missingFields", empty());
        api().body(PRODUCTS_KB).post("/api/v1/sync-configs/preview").then().statusCode(200)
                .body("documents.recordKey", contains(keys.get(0), keys.get(1), keys.get(2)))
                .body("documents[1].text", not(containsString("supplier.")))
                .body("documents[1].text", not(containsString("movements")));

        assertThat(support.db().count("SELECT COUNT(*) FROM sync_configs")).as("nothing saved").isZero();
        assertThat(support.db().count("SELECT COUNT(*) FROM data_change_logs")).isEqualTo(changes);
        assertThat(io.cozecdc.testing.FakeCozeResource.running().allDocuments()).as("nothing sent to Coze").isEmpty();
        assertThat(io.cozecdc.testing.FakeCozeResource.running().documentsCreated()).isZero();
    }

    @Test
    void theOpenApiDocumentDescribesRelatedWarningsAndRowsToCheck() {
        var doc = new io.swagger.v3.parser.OpenAPIV3Parser()
                .readContents(io.restassured.RestAssured.given().get("/q/openapi?format=json").asString()).getOpenAPI();
        var schemas = doc.getComponents().getSchemas();
        assertThat(schemas.get("SyncConfigRequest").getProperties()).containsKey("related");
        assertThat(schemas.get("Relation").getProperties()).containsKeys("name", "table", "join", "fields", "orderBy", "limit", "related");
        assertThat(schemas.get("SyncConfig").getProperties()).containsKeys("related", "warnings", "rowsToCheck");
        assertThat(((io.swagger.v3.oas.models.media.Schema<?>) schemas.get("SyncConfig").getProperties().get("rowsToCheck")).getDescription())
                .contains("how many rows");
    }

    private static String body(String related) {
        return "{\"name\": \"p\", \"tableName\": \"products\", \"datasetId\": \"" + DATASET + "\", \"fields\": [\"name\"], \"related\": "
                + related + "}";
    }

    private void refused(String related, String field, String message) {
        api().body(body(related)).post("/api/v1/sync-configs").then().statusCode(400)
                .body("errors.field", hasItem(field))
                .body("errors.find { it.field == '" + field + "' }.message", containsString(message));
        // the preview refuses exactly as create does
        api().body(body(related)).post("/api/v1/sync-configs/preview").then().statusCode(400)
                .body("errors.field", hasItem(field))
                .body("errors.find { it.field == '" + field + "' }.message", containsString(message));
        assertThat(support.db().count("SELECT COUNT(*) FROM sync_configs")).as("nothing saved").isZero();
    }
}
