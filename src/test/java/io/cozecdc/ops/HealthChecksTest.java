package io.cozecdc.ops;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import io.cozecdc.capture.TriggerService;
import io.cozecdc.configs.SyncConfigRepository;
import io.cozecdc.sink.KnowledgeBase;
import io.cozecdc.testing.InjectFakeCoze;
import io.cozecdc.testing.PipelineSupport;
import io.cozecdc.testing.coze.FakeCoze;

/** Readiness turns DOWN, with the reason, when triggers are dropped and when Coze refuses the token. */
@QuarkusTest
class HealthChecksTest {

    @Inject
    SyncConfigRepository configs;
    @Inject
    TriggerService triggers;
    @Inject
    KnowledgeBase cozeApi;
    @InjectFakeCoze
    FakeCoze coze;

    @Inject
    PipelineSupport support;
    String dataset;

    @BeforeEach
    void setUp() {
        support.reset();
        dataset = coze.createDataset("health-kb");
        // one accepted call, so what earlier tests did to Coze does not colour this one
        cozeApi.list(Long.parseLong(dataset), 1, 1).await().atMost(PipelineSupport.WAIT);
    }

    @AfterEach
    void tearDown() {
        support.stop();
        coze.reset();
        triggers.install("products").await().atMost(PipelineSupport.WAIT);
    }

    @Test
    void readinessIsUpWithEveryCheckReporting() {
        support.config("healthy", "products", dataset, List.of("id", "name"), null);
        JsonPath ready = ready(200);
        assertThat(check(ready, "cdc-triggers").getString("status")).isEqualTo("UP");
        assertThat(check(ready, "cdc-triggers").getString("data.products")).isEqualTo("installed");
        assertThat(check(ready, "coze").getString("status")).isEqualTo("UP");
        assertThat(check(ready, "cdc-database").getString("status")).isEqualTo("UP");
        assertThat(ready.getList("checks.name", String.class)).anyMatch(n -> n.toLowerCase().contains("mysql"));
    }

    @Test
    void aDroppedTriggerMakesReadinessDownNamingTableAndTrigger() {
        support.config("watched", "products", dataset, List.of("id", "name"), null);
        ready(200);

        support.db().execute("DROP TRIGGER trigger_products_update");

        Map<String, Object> triggersCheck = check(ready(503), "cdc-triggers").getMap("");
        assertThat(triggersCheck).containsEntry("status", "DOWN");
        assertThat(check(ready(503), "cdc-triggers").getString("data.products"))
                .contains("missing").contains("trigger_products_update");

        triggers.install("products").await().atMost(PipelineSupport.WAIT);
        ready(200);
    }

    @Test
    void aRefusedTokenMakesReadinessDownUntilCozeAcceptsItAgain() {
        support.config("refused", "products", dataset, List.of("id", "name"), null);
        coze.revokeAuth(true);
        support.start();
        support.insertProduct("H1", "health", "1.00", null, 1);

        await().atMost(PipelineSupport.WAIT).untilAsserted(() -> {
            JsonPath down = ready(503);
            assertThat(check(down, "coze").getString("status")).isEqualTo("DOWN");
            assertThat(check(down, "coze").getString("data.reason")).contains("refused the API token").contains("4100");
        });

        coze.revokeAuth(false);
        await().atMost(PipelineSupport.WAIT).untilAsserted(() -> ready(200));
        await().atMost(PipelineSupport.WAIT).until(() -> coze.documents(dataset).size() == 1);
    }

    @Test
    void livenessStaysUpWhileThePollerRuns() {
        support.config("alive", "products", dataset, List.of("id", "name"), null);
        support.start();
        support.insertProduct("L1", "alive", "1.00", null, 1);
        JsonPath live = given().get("/q/health/live").then().statusCode(200).extract().jsonPath();
        assertThat(check(live, "cdc-poller").getString("status")).isEqualTo("UP");
    }

    private static JsonPath ready(int status) {
        return given().get("/q/health/ready").then().statusCode(status).extract().jsonPath();
    }

    private static JsonPath check(JsonPath health, String name) {
        List<Map<String, Object>> checks = health.getList("checks");
        Map<String, Object> found = checks.stream().filter(c -> name.equals(c.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no check named " + name + " in " + health.prettify()));
        return new JsonPath(new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(found).toString());
    }
}
