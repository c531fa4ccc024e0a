package io.cozecdc.failures;

import static io.cozecdc.testing.Api.api;
import static io.cozecdc.testing.Api.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import io.cozecdc.configs.SyncConfigRepository;
import io.cozecdc.testing.InjectFakeCoze;
import io.cozecdc.testing.PipelineSupport;
import io.cozecdc.testing.coze.FakeCoze;

/** Dead letters produced through the fake, inspected, replayed and discarded through the API. */
@QuarkusTest
class FailureApiTest {

    @Inject
    SyncConfigRepository configs;
    @InjectFakeCoze
    FakeCoze coze;

    @Inject
    PipelineSupport support;
    String dataset;
    int configId;
    List<String> poisoned = new ArrayList<>();

    @BeforeEach
    void setUp() {
        support.reset();
        dataset = coze.createDataset("failures-api");
        configId = api().body(config("dead-letters", "products", dataset, "[\"id\",\"name\"]")).post("/api/v1/sync-configs")
                .then().statusCode(201).extract().path("id");
        coze.rejectContentContaining("REJECT");
        support.start();
        support.insertProduct("OK", "fine", "1.00", null, 1);
        poisoned.clear();
        for (int i = 0; i < 3; i++) {
            poisoned.add(support.insertProduct("P" + i, "REJECT me " + i, "1.00", null, 1));
        }
        await().atMost(PipelineSupport.WAIT).until(() ->
                support.db().count("SELECT COUNT(*) FROM sync_failures WHERE status = 'DEAD'") == 3);
    }

    @AfterEach
    void tearDown() {
        support.stop();
        coze.reset();
    }

    @Test
    void listsDeadLettersWithCodeMessageLogidAndPayload() {
        api().queryParam("configId", configId).queryParam("status", "DEAD").get("/api/v1/failures").then().statusCode(200)
                .body("total", equalTo(3)).body("items", hasSize(3))
                .body("items.status", everyItem(equalTo("DEAD")))
                .body("items.errorCode", everyItem(equalTo(4000)))
                .body("items[0].errorMessage", containsString("REJECT"))
                .body("items[0].configName", equalTo("dead-letters"))
                .body("items[0].payload.name", containsString("REJECT me"));
        api().queryParam("size", 2).queryParam("page", 2).get("/api/v1/failures").then().statusCode(200)
                .body("total", equalTo(3)).body("items", hasSize(1));
        api().queryParam("status", "RETRYING").get("/api/v1/failures").then().statusCode(200).body("total", equalTo(0));
        api().queryParam("status", "SOMETIMES").get("/api/v1/failures").then().statusCode(400)
                .body("errors[0].field", equalTo("status"));
        api().queryParam("size", 0).get("/api/v1/failures").then().statusCode(400).body("errors[0].field", equalTo("size"));
    }

    @Test
    void aReplayedDeadLetterSyncsOnceTheCauseIsGone() {
        long id = ((Number) support.db().scalar("SELECT id FROM sync_failures WHERE record_key = ?", poisoned.get(0))).longValue();
        api().get("/api/v1/failures/" + id).then().statusCode(200).body("recordKey", equalTo(poisoned.get(0)));
        coze.clearFaults();
        api().post("/api/v1/failures/" + id + "/retry").then().statusCode(200);
        await().atMost(PipelineSupport.WAIT).until(() -> support.documentsByKey(dataset, "id").containsKey(poisoned.get(0))
                && support.db().count("SELECT COUNT(*) FROM sync_failures WHERE id = " + id) == 0);
        assertThat(support.db().count("SELECT COUNT(*) FROM sync_failures")).isEqualTo(2);
    }

    @Test
    void aBulkReplayRetriesEveryFailureOfTheConfig() {
        coze.clearFaults();
        api().queryParam("configId", configId).post("/api/v1/failures/retry").then().statusCode(200)
                .body("retried", equalTo(3));
        await().atMost(PipelineSupport.WAIT).until(() -> support.db().count("SELECT COUNT(*) FROM sync_failures") == 0
                && support.documentsByKey(dataset, "id").keySet().containsAll(poisoned));
        api().post("/api/v1/failures/retry").then().statusCode(400).body("errors[0].field", equalTo("configId"));
        api().queryParam("configId", 999999).post("/api/v1/failures/retry").then().statusCode(404);
    }

    @Test
    void aDiscardedDeadLetterIsGone() {
        long id = ((Number) support.db().scalar("SELECT id FROM sync_failures WHERE record_key = ?", poisoned.get(1))).longValue();
        api().delete("/api/v1/failures/" + id).then().statusCode(204);
        api().get("/api/v1/failures/" + id).then().statusCode(404);
        api().delete("/api/v1/failures/" + id).then().statusCode(404);
        api().post("/api/v1/failures/" + id + "/retry").then().statusCode(404);
        assertThat(support.db().count("SELECT COUNT(*) FROM sync_failures")).isEqualTo(2);
        api().get("/api/v1/sync-configs/" + configId).then().body("stats.dead", equalTo(2));
    }
}
