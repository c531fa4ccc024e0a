package io.cozecdc.configapi;

import static io.cozecdc.testing.Api.api;
import static io.cozecdc.testing.Api.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import io.cozecdc.configs.SyncConfigRepository;
import io.cozecdc.testing.InjectFakeCoze;
import io.cozecdc.testing.PipelineSupport;
import io.cozecdc.testing.coze.FakeCoze;
import io.cozecdc.testing.coze.FakeCoze.Endpoint;
import io.cozecdc.testing.coze.FakeDocument;

/** What enable, disable, delete and resync do to the documents in Coze. */
@QuarkusTest
class ConfigLifecycleApiTest {

    static final String FIELDS = "[\"id\",\"name\",\"stock_quantity\"]";
    @Inject
    SyncConfigRepository configs;
    @Inject
    io.cozecdc.common.JobRounds rounds;
    @InjectFakeCoze
    FakeCoze coze;

    @Inject
    PipelineSupport support;
    String dataset;

    @BeforeEach
    void setUp() {
        support.reset();
        dataset = coze.createDataset("lifecycle-api");
        support.start();
    }

    @AfterEach
    void tearDown() {
        support.stop();
        coze.reset();
    }

    @Test
    void disableStopsSyncingAndEnableStartsAgain() {
        int id = create("switch");
        String a = support.insertProduct("A", "first", "1.00", null, 1);
        awaitConverged();
        assertThat(coze.documents(dataset)).hasSize(1);

        api().post("/api/v1/sync-configs/" + id + "/disable").then().statusCode(200)
                .body("enabled", equalTo(false)).body("status", equalTo("PAUSED"));
        int creates = coze.requestCount(Endpoint.CREATE);
        support.insertProduct("B", "while disabled", "1.00", null, 1);
        support.db().update("UPDATE products SET name = 'changed while disabled' WHERE id = ?", a);
        await().atMost(PipelineSupport.WAIT).until(() -> support.pending() == 0);
        assertThat(coze.requestCount(Endpoint.CREATE)).as("nothing reaches Coze while disabled").isEqualTo(creates);

        api().post("/api/v1/sync-configs/" + id + "/enable").then().statusCode(200)
                .body("enabled", equalTo(true)).body("status", equalTo("ACTIVE"));
        String c = support.insertProduct("C", "after enable", "1.00", null, 1);
        awaitConverged();
        // changes made while disabled were not queued; the one after enabling went through
        assertThat(support.documentsByKey(dataset, "id").keySet()).containsExactlyInAnyOrder(a, c);
    }

    @Test
    void deleteRemovesTheDocumentsFromCoze() {
        int id = create("doomed");
        for (int i = 0; i < 5; i++) {
            support.insertProduct("D" + i, "row " + i, "1.00", null, i);
        }
        awaitConverged();
        assertThat(coze.documents(dataset)).hasSize(5);

        api().delete("/api/v1/sync-configs/" + id).then().statusCode(200).body("documentsToDelete", equalTo(5));
        await().atMost(PipelineSupport.WAIT).until(() -> coze.documents(dataset).isEmpty());
        assertThat(support.db().count("SELECT COUNT(*) FROM synced_documents")).isZero();
        await().atMost(PipelineSupport.WAIT).until(() -> support.db().count("SELECT COUNT(*) FROM coze_documents") == 0);
    }

    @Test
    void deleteWithKeepDocumentsLeavesThemInCoze() {
        int id = create("kept");
        for (int i = 0; i < 3; i++) {
            support.insertProduct("K" + i, "row " + i, "1.00", null, i);
        }
        awaitConverged();
        api().queryParam("keepDocuments", true).delete("/api/v1/sync-configs/" + id).then().statusCode(200)
                .body("documentsToDelete", equalTo(0));
        awaitTwoJanitorSweeps();
        assertThat(coze.documents(dataset)).hasSize(3);
        assertThat(support.db().count("SELECT COUNT(*) FROM coze_documents")).isZero();
    }

    @Test
    void aMalformedKeepDocumentsFlagDeletesNothing() {
        int id = create("typo");
        for (int i = 0; i < 2; i++) {
            support.insertProduct("T" + i, "row " + i, "1.00", null, i);
        }
        awaitConverged();
        // JAX-RS would read each of these as false, the destructive default
        for (String typo : List.of("maybe", "yes", "1", "TRUE", "", "true ")) {
            api().queryParam("keepDocuments", typo).delete("/api/v1/sync-configs/" + id).then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors[0].field", equalTo("keepDocuments"))
                    .body("errors[0].message", startsWith("must be true or false, not "));
        }
        api().get("/api/v1/sync-configs/" + id).then().statusCode(200).body("stats.documents", equalTo(2));
        awaitTwoJanitorSweeps();
        assertThat(coze.documents(dataset)).as("no document deleted from Coze").hasSize(2);
        assertThat(support.db().count("SELECT COUNT(*) FROM coze_documents WHERE state <> 'DONE'")).isZero();
    }

    @Test
    void resyncCreatesExactlyOneDocumentPerExistingRow() {
        support.stop();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 75; i++) {
            ids.add(support.insertProduct("R" + i, "existing " + i, "1.00", null, i));
        }
        support.db().execute("DELETE FROM data_change_logs"); // rows written before any config existed
        support.start();
        int id = create("backfill");
        api().post("/api/v1/sync-configs/" + id + "/resync").then().statusCode(202).body("backfill.state", equalTo("RUNNING"))
                .body("backfill.rowsTotal", equalTo(75));
        await().atMost(PipelineSupport.WAIT).until(() -> "DONE".equals(api().get("/api/v1/sync-configs/" + id).path("backfill.state")));
        awaitConverged();
        api().get("/api/v1/sync-configs/" + id).then().body("backfill.rowsDone", equalTo(75)).body("stats.documents", equalTo(75));
        assertOneDocumentPerRow(ids);

        // a second resync of the unchanged table costs no Coze call
        int creates = coze.requestCount(Endpoint.CREATE);
        api().post("/api/v1/sync-configs/" + id + "/resync").then().statusCode(202);
        await().atMost(PipelineSupport.WAIT).until(() -> "DONE".equals(api().get("/api/v1/sync-configs/" + id).path("backfill.state")));
        awaitConverged();
        assertThat(coze.requestCount(Endpoint.CREATE)).isEqualTo(creates);
    }

    @Test
    void aResyncInterleavedWithLiveUpdatesConvergesToTheLatestContent() {
        support.stop();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            ids.add(support.insertProduct("I" + i, "old " + i, "1.00", null, 0));
        }
        support.db().execute("DELETE FROM data_change_logs");
        support.start();
        int id = create("interleaved");
        api().post("/api/v1/sync-configs/" + id + "/resync").then().statusCode(202);
        for (int round = 1; round <= 3; round++) {
            for (int i = 0; i < ids.size(); i += 7) {
                support.db().update("UPDATE products SET stock_quantity = ?, name = ? WHERE id = ?", round, "new " + round, ids.get(i));
            }
            await().pollDelay(Duration.ofMillis(300)).until(() -> true);
        }
        await().atMost(PipelineSupport.WAIT).until(() -> "DONE".equals(api().get("/api/v1/sync-configs/" + id).path("backfill.state")));
        awaitConverged();
        assertOneDocumentPerRow(ids);
    }

    @Test
    void aResyncStoppedMidwayResumesWithoutDuplicates() {
        support.stop();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            ids.add(support.insertProduct("M" + i, "row " + i, "1.00", null, i));
        }
        support.db().execute("DELETE FROM data_change_logs");
        support.start();
        int id = create("resumed");
        api().post("/api/v1/sync-configs/" + id + "/resync").then().statusCode(202);
        await().atMost(PipelineSupport.WAIT).until(() -> {
            Integer done = api().get("/api/v1/sync-configs/" + id).path("backfill.rowsDone");
            return done != null && done > 0 && done < 120;
        });
        support.stop(); // the service goes away in the middle of the backfill
        int doneAtStop = api().get("/api/v1/sync-configs/" + id).path("backfill.rowsDone");
        assertThat(doneAtStop).isBetween(1, 119);
        support.db().update("UPDATE backfill_jobs SET claim_expires_at = NOW(3) - INTERVAL 1 SECOND"); // its lease runs out

        support.start();
        await().atMost(PipelineSupport.WAIT).until(() -> "DONE".equals(api().get("/api/v1/sync-configs/" + id).path("backfill.state")));
        awaitConverged();
        api().get("/api/v1/sync-configs/" + id).then().body("backfill.rowsDone", equalTo(120));
        assertThat(support.db().count("SELECT COUNT(*) FROM data_change_logs WHERE operation_type = 'SNAPSHOT'"))
                .as("every row copied once").isEqualTo(120);
        assertOneDocumentPerRow(ids);
    }

    @Test
    void aResyncCanBeCancelled() {
        support.stop();
        for (int i = 0; i < 60; i++) {
            support.insertProduct("X" + i, "row " + i, "1.00", null, i);
        }
        int id = create("cancelled");
        api().post("/api/v1/sync-configs/" + id + "/resync").then().statusCode(202);
        api().delete("/api/v1/sync-configs/" + id + "/resync").then().statusCode(200).body("backfill.state", equalTo("CANCELLED"));
        api().delete("/api/v1/sync-configs/" + id + "/resync").then().statusCode(404);
        api().post("/api/v1/sync-configs/" + id + "/disable").then().statusCode(200);
        api().post("/api/v1/sync-configs/" + id + "/resync").then().statusCode(409);
    }

    private int create(String name) {
        return api().body(config(name, "products", dataset, FIELDS)).post("/api/v1/sync-configs").then().statusCode(201)
                .extract().path("id");
    }

    private void assertOneDocumentPerRow(List<String> ids) {
        Map<String, List<FakeDocument>> byKey = support.documentsByKey(dataset, "id");
        assertThat(byKey.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        for (Map<String, Object> row : support.db().query("SELECT id, name, stock_quantity FROM products")) {
            assertThat(byKey.get(row.get("id"))).singleElement().satisfies(d -> assertThat(d.content())
                    .isEqualTo("id: " + row.get("id") + "\nname: " + row.get("name") + "\nstock_quantity: " + row.get("stock_quantity") + "\n"));
        }
    }

    /**
     * Until two whole sweeps of the document janitor (which deletes documents marked obsolete from Coze) have
     * run since now: a document it was to delete would be gone. (Three ends of its rounds seen: the first may
     * be of a round that started earlier, the next two started after it.)
     */
    private void awaitTwoJanitorSweeps() {
        java.util.concurrent.atomic.AtomicReference<java.time.Instant> last =
                new java.util.concurrent.atomic.AtomicReference<>(rounds.lastEnded().get("document-janitor"));
        java.util.concurrent.atomic.AtomicInteger ends = new java.util.concurrent.atomic.AtomicInteger();
        await().atMost(PipelineSupport.WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            java.time.Instant ended = rounds.lastEnded().get("document-janitor");
            if (ended != null && (last.get() == null || ended.isAfter(last.get()))) {
                last.set(ended);
                ends.incrementAndGet();
            }
            return ends.get() >= 3;
        });
    }

    private void awaitConverged() {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() ->
                support.pending() == 0
                        && support.db().count("SELECT COUNT(*) FROM coze_documents WHERE state <> 'DONE'") == 0
                        && support.db().count("SELECT COUNT(*) FROM sync_failures") == 0);
    }
}
