package io.cozecdc.configapi;

import static io.cozecdc.testing.Api.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import io.cozecdc.testing.InjectFakeCoze;
import io.cozecdc.testing.PipelineSupport;
import io.cozecdc.testing.coze.FakeCoze;
import io.cozecdc.testing.coze.FakeDocument;

/**
 * A PUT that changes how rows render re-renders the configuration's documents by itself (issue 16): its
 * answer says how many rows will be checked, and only the rows whose text changed reach Coze again.
 */
@QuarkusTest
class RerenderOnPutTest {

    @InjectFakeCoze
    FakeCoze coze;
    @Inject
    PipelineSupport support;
    String dataset;
    final List<String> wrenches = new ArrayList<>();
    final List<String> others = new ArrayList<>();

    @BeforeEach
    void setUp() {
        support.reset();
        dataset = coze.createDataset("rerender");
        wrenches.clear();
        others.clear();
        for (int i = 0; i < 3; i++) {
            wrenches.add(support.insertProduct("W" + i, "扳手", "1.00", null, i));
        }
        for (int i = 0; i < 7; i++) {
            others.add(support.insertProduct("O" + i, "锤子" + i, "1.00", null, i));
        }
        support.start();
    }

    @AfterEach
    void tearDown() {
        support.stop();
        coze.reset();
    }

    @Test
    void aPutChangingTheTemplateUploadsExactlyTheRowsWhoseTextChanged() {
        int id = api().body(body("{id} {name}")).post("/api/v1/sync-configs").then().statusCode(201).extract().path("id");
        api().post("/api/v1/sync-configs/" + id + "/resync").then().statusCode(202);
        awaitDone(id);
        assertThat(coze.documents(dataset)).hasSize(10);
        long created = coze.documentsCreated();

        // a rename renders nothing differently: nothing to check, no backfill
        api().body(body("{id} {name}").replace("\"rerender\"", "\"rerender-renamed\"")).put("/api/v1/sync-configs/" + id)
                .then().statusCode(200).body("rowsToCheck", equalTo(0)).body("backfill.state", equalTo("DONE"));

        // only the three wrenches render differently under the new template
        api().body(body("{id} {name}{#if name is '扳手'}（畅销）{/if}").replace("\"rerender\"", "\"rerender-renamed\""))
                .put("/api/v1/sync-configs/" + id)
                .then().statusCode(200).body("rowsToCheck", equalTo(10)).body("backfill.state", equalTo("RUNNING"));
        awaitDone(id);

        assertThat(coze.documentsCreated() - created).as("documents created by the PUT").isEqualTo(3);
        Map<String, String> texts = new java.util.HashMap<>();
        for (FakeDocument d : coze.documents(dataset)) {
            texts.put(d.content().split(" ")[0], d.content());
        }
        assertThat(texts).hasSize(10);
        wrenches.forEach(w -> assertThat(texts.get(w)).isEqualTo(w + " 扳手（畅销）"));
        others.forEach(o -> assertThat(texts.get(o)).doesNotContain("畅销"));
    }

    private String body(String template) {
        return "{\"name\": \"rerender\", \"tableName\": \"products\", \"datasetId\": \"" + dataset + "\", \"fields\": [\"id\", \"name\"],"
                + " \"template\": \"" + template + "\"}";
    }

    private void awaitDone(int id) {
        await().atMost(PipelineSupport.WAIT).until(() -> "DONE".equals(api().get("/api/v1/sync-configs/" + id).path("backfill.state")));
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() ->
                support.pending() == 0
                        && support.db().count("SELECT COUNT(*) FROM coze_documents WHERE state <> 'DONE'") == 0
                        && support.db().count("SELECT COUNT(*) FROM sync_failures") == 0
                        && support.db().count("SELECT COUNT(*) FROM synced_documents WHERE pending_document_id IS NOT NULL") == 0);
    }
}
