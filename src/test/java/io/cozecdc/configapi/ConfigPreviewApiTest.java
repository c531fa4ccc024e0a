package io.cozecdc.configapi;

import static io.cozecdc.testing.Api.api;
import static io.cozecdc.testing.Api.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import io.cozecdc.testing.InjectFakeCoze;
import io.cozecdc.testing.PipelineSupport;
import io.cozecdc.testing.coze.FakeCoze;

/** POST /api/v1/sync-configs/preview and GET /api/v1/tables/{table}/columns, which the console's editor uses. */
@QuarkusTest
class ConfigPreviewApiTest {

    static final String DATASET = "7486431234567890123";

    @Inject
    PipelineSupport support;
    @InjectFakeCoze
    FakeCoze coze;

    final List<String> keys = new ArrayList<>();

    @BeforeEach
    void setUp() {
        support.reset();
        keys.clear();
        keys.add(support.insertProduct("SKU-C", "螺丝刀", "12.50", "8.00", 7));
        keys.add(support.insertProduct("SKU-A", "扳手", "30.00", "20.00", 3));
        keys.add(support.insertProduct("SKU-D", "钳子", "18.00", "11.00", 0));
        keys.add(support.insertProduct("SKU-B", "锤子", "25.10", "15.00", 9));
        keys.sort(null);
    }

    @Test
    void rendersTheFirstThreeRowsWithTheChosenFieldsAndSavesNothing() {
        long changesBefore = support.db().count("SELECT COUNT(*) FROM data_change_logs");
        api().body(config("products-kb", "products", DATASET, "[\"sku\",\"name\",\"unit_price\"]"))
                .post("/api/v1/sync-configs/preview")
                .then().statusCode(200)
                .body("tableName", equalTo("products"))
                .body("keyColumn", equalTo("id"))
                .body("documents", hasSize(3))
                .body("documents.recordKey", contains(keys.get(0), keys.get(1), keys.get(2)))
                .body("documents[0].text", containsString("sku: SKU-"))
                .body("documents[0].text", containsString("unit_price: "))
                .body("documents[0].error", nullValue())
                .body("documents[0].missingFields", empty());
        String text = api().body(config("products-kb", "products", DATASET, "[\"sku\",\"name\",\"unit_price\"]"))
                .queryParam("recordKey", keys.get(0)).post("/api/v1/sync-configs/preview")
                .then().statusCode(200).body("documents", hasSize(1)).extract().path("documents[0].text");
        String sku = (String) support.db().scalar("SELECT sku FROM products WHERE id = ?", keys.get(0));
        String name = (String) support.db().scalar("SELECT name FROM products WHERE id = ?", keys.get(0));
        String price = support.db().scalar("SELECT unit_price FROM products WHERE id = ?", keys.get(0)).toString();
        assertThat(text).isEqualTo("sku: " + sku + "\nname: " + name + "\nunit_price: " + price + "\n");
        assertThat(text).doesNotContain("cost_price");

        assertThat(support.db().count("SELECT COUNT(*) FROM sync_configs")).as("nothing saved").isZero();
        assertThat(support.db().count("SELECT COUNT(*) FROM data_change_logs")).isEqualTo(changesBefore);
        assertThat(coze.allDocuments()).as("nothing sent to Coze").isEmpty();
        assertThat(coze.documentsCreated()).isZero();
    }

    @Test
    void rendersTheTemplateAndListsRowsItFailsOn() {
        String body = "{\"name\":\"t\",\"tableName\":\"products\",\"datasetId\":\"" + DATASET + "\",\"fields\":[\"name\",\"stock_quantity\"],"
                + "\"template\":\"{name}：库存 {stock_quantity}（{cdc.table}）\"}";
        api().body(body).queryParam("recordKey", keys.get(0)).post("/api/v1/sync-configs/preview").then().statusCode(200)
                .body("documents[0].text", equalTo(support.db().scalar("SELECT name FROM products WHERE id = ?", keys.get(0))
                        + "：库存 " + support.db().scalar("SELECT stock_quantity FROM products WHERE id = ?", keys.get(0)) + "（products）"));

        // cost_price is not a kept field: refused before any row is rendered, exactly as create refuses it
        String unknown = "{\"name\":\"t\",\"tableName\":\"products\",\"datasetId\":\"" + DATASET + "\",\"fields\":[\"name\"],"
                + "\"template\":\"{name} {cost_price}\"}";
        api().body(unknown).post("/api/v1/sync-configs/preview").then().statusCode(400)
                .body("errors[0].field", equalTo("template"))
                .body("errors[0].message", containsString("cost_price"));

        // names only kept fields, but asks a text value for a property it does not have: every row fails to render
        String failing = "{\"name\":\"t\",\"tableName\":\"products\",\"datasetId\":\"" + DATASET + "\",\"fields\":[\"name\"],"
                + "\"template\":\"{name} {name.colour}\"}";
        api().body(failing).post("/api/v1/sync-configs/preview").then().statusCode(200)
                .body("documents", hasSize(3))
                .body("documents[0].text", nullValue())
                .body("documents[0].error", containsString("colour"));
    }

    @Test
    void anUnknownKeyOrAnEmptyTableGivesNoDocuments() {
        api().body(config("p", "products", DATASET, "[]")).queryParam("recordKey", "no-such-key")
                .post("/api/v1/sync-configs/preview").then().statusCode(200).body("documents", empty());
        api().body(config("p", "suppliers", DATASET, "[]")).post("/api/v1/sync-configs/preview")
                .then().statusCode(200).body("documents", empty());
    }

    @Test
    void invalidBodiesGetTheSame400AsCreate() {
        String[] bodies = {
                "{}",
                config("p", "products", "12.5", "[\"name\",\"colour\",\"name\"]"),
                "{\"name\":\"p\",\"tableName\":\"nope\",\"datasetId\":\"" + DATASET + "\"}",
                "{\"name\":\"p\",\"tableName\":\"products\",\"datasetId\":\"" + DATASET + "\",\"template\":\"{#if x}\"}",
                "{\"name\":\"p\",\"tableName\":\"products\",\"datasetId\":" + DATASET + "}",
                "{\"name\":\"p\",\"tableName\":\"products\",\"datasetId\":\"" + DATASET + "\",\"colour\":1}",
                "not json",
        };
        for (String body : bodies) {
            var create = api().body(body).post("/api/v1/sync-configs").then().statusCode(400).extract();
            var preview = api().body(body).post("/api/v1/sync-configs/preview").then().statusCode(400)
                    .contentType("application/problem+json").extract();
            assertThat(preview.path("type").toString()).as(body).isEqualTo(create.path("type").toString());
            assertThat((Object) preview.path("detail")).as(body).isEqualTo(create.path("detail"));
            assertThat((Object) preview.path("errors")).as(body).isEqualTo(create.path("errors"));
        }
        api().contentType("application/json").post("/api/v1/sync-configs/preview").then().statusCode(400);
        assertThat(support.db().count("SELECT COUNT(*) FROM sync_configs")).isZero();
    }

    @Test
    void previewNeedsTheToken() {
        io.restassured.RestAssured.given().contentType("application/json").body(config("p", "products", DATASET, "[]"))
                .post("/api/v1/sync-configs/preview").then().statusCode(401);
        io.restassured.RestAssured.given().get("/api/v1/tables/products/columns").then().statusCode(401);
    }

    @Test
    void columnsOfATableCapturedOrNot() {
        api().get("/api/v1/tables/products/columns").then().statusCode(200)
                .body("table", equalTo("products"))
                .body("keyColumn", equalTo("id"))
                .body("columns.name", contains("id", "sku", "name", "category", "description", "unit", "unit_price",
                        "cost_price", "stock_quantity", "supplier_id", "is_active", "created_at", "updated_at"))
                .body("columns[6].type", equalTo("decimal(12,2)"));
        support.db().execute("DROP TABLE IF EXISTS t_cols_new", "CREATE TABLE t_cols_new (code VARCHAR(10) PRIMARY KEY, label TEXT)");
        try {
            api().get("/api/v1/tables/t_cols_new/columns").then().statusCode(200)
                    .body("keyColumn", equalTo("code")).body("columns.name", contains("code", "label"));
        } finally {
            support.db().execute("DROP TABLE IF EXISTS t_cols_new");
        }
        api().get("/api/v1/tables/no_such_table/columns").then().statusCode(404).contentType("application/problem+json");
        api().get("/api/v1/tables/sync_configs/columns").then().statusCode(400)
                .body("detail", containsString("coze-cdc's own tables"));
    }
}
