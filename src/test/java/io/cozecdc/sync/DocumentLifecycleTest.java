package io.cozecdc.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import io.cozecdc.configs.SyncConfigRepository;
import io.cozecdc.testing.InjectFakeCoze;
import io.cozecdc.testing.PipelineSupport;
import io.cozecdc.testing.coze.FakeCoze;
import io.cozecdc.testing.coze.FakeDocument;
import io.cozecdc.testing.coze.FakeEvent;

/** Coze processes documents after accepting them: the service follows each one to done or failed. */
@QuarkusTest
class DocumentLifecycleTest {

    private static final List<String> FIELDS = List.of("id", "name", "stock_quantity");
    @Inject
    SyncConfigRepository configs;
    @InjectFakeCoze
    FakeCoze coze;

    @Inject
    PipelineSupport support;
    String dataset;

    @BeforeEach
    void setUp() {
        support.reset();
        dataset = coze.createDataset("lifecycle-kb");
        support.config("lifecycle", "products", dataset, FIELDS, null);
    }

    @AfterEach
    void tearDown() {
        support.stop();
        coze.reset();
    }

    @Test
    void withFifteenPercentProcessingFailuresEveryRowEndsWithOneDoneDocument() {
        coze.seed(7).failProcessing(0.15, "parsing failed").processingDelay(Duration.ofMillis(300));
        support.start();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            ids.add(support.insertProduct("F" + i, "row " + i, "1.00", null, i));
        }
        for (int i = 0; i < 80; i += 4) {
            support.db().update("UPDATE products SET stock_quantity = stock_quantity + 500 WHERE id = ?", ids.get(i));
        }
        awaitConverged();

        assertThat(coze.events()).as("some documents failed processing").anyMatch(e -> e.type() == FakeEvent.Type.FAILED);
        assertThat(coze.documents(dataset)).allSatisfy(d -> assertThat(d.status()).isEqualTo(FakeDocument.DONE));
        Map<String, List<FakeDocument>> byKey = support.documentsByKey(dataset, "id");
        assertThat(byKey.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        for (Map<String, Object> row : support.db().query("SELECT id, stock_quantity FROM products")) {
            assertThat(byKey.get(row.get("id"))).singleElement()
                    .satisfies(d -> assertThat(d.content()).contains("stock_quantity: " + row.get("stock_quantity") + "\n"));
        }
    }

    @Test
    void duringAReplaceTheRowAlwaysHasADoneDocument() {
        coze.processingDelay(Duration.ofMillis(400));
        support.start();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ids.add(support.insertProduct("P" + i, "row " + i, "1.00", null, 0));
        }
        awaitConverged();
        Instant replacesFrom = Instant.now();
        for (int round = 1; round <= 4; round++) {
            for (String id : ids) {
                support.db().update("UPDATE products SET stock_quantity = ? WHERE id = ?", round, id);
            }
            await().pollDelay(Duration.ofMillis(300)).until(() -> true);
        }
        awaitConverged();

        // replay Coze's history: once a row had a done document, it must never be left without one
        Map<String, Set<String>> done = new HashMap<>();
        Map<String, String> keyOfDoc = new HashMap<>();
        for (FakeEvent e : coze.events()) {
            if (e.type() == FakeEvent.Type.CREATED) {
                keyOfDoc.put(e.documentId(), PipelineSupport.keyOf(e.content(), "id"));
            }
            String key = keyOfDoc.get(e.documentId());
            if (e.type() == FakeEvent.Type.DONE) {
                done.computeIfAbsent(key, k -> new HashSet<>()).add(e.documentId());
            } else if (e.type() == FakeEvent.Type.DELETED) {
                Set<String> live = done.getOrDefault(key, new HashSet<>());
                live.remove(e.documentId());
                if (!e.at().isBefore(replacesFrom)) {
                    assertThat(live).as("done documents of %s after a delete at %s", key, e.at()).isNotEmpty();
                }
            }
        }
        assertThat(coze.events()).filteredOn(e -> e.type() == FakeEvent.Type.DELETED).hasSizeGreaterThanOrEqualTo(10);
        for (String id : ids) {
            assertThat(support.documentsByKey(dataset, "id").get(id)).singleElement()
                    .satisfies(d -> assertThat(d.content()).contains("stock_quantity: 4\n"));
        }
    }

    @Test
    void aDocumentStillProcessingWhenTheServiceStopsIsFollowedAfterItStarts() {
        coze.processingDelay(Duration.ofMinutes(10)); // until finishProcessing() below
        support.start();
        String id = support.insertProduct("K1", "before stop", "1.00", null, 1);
        await().atMost(PipelineSupport.WAIT).until(() -> support.pending() == 0
                && support.db().count("SELECT COUNT(*) FROM coze_documents WHERE state = 'PROCESSING'") == 1);
        support.stop(); // nothing of the pipeline is in memory: the ledger row is all that remains
        assertThat(coze.documents(dataset)).singleElement().satisfies(d -> assertThat(d.status()).isZero());
        assertThat(support.db().scalar("SELECT document_id FROM synced_documents WHERE record_key = ?", id)).isNull();

        // Coze finishes processing it while the service is stopped
        assertThat(coze.finishProcessing()).isEqualTo(1);
        assertThat(coze.documents(dataset)).singleElement().satisfies(d -> assertThat(d.status()).isEqualTo(FakeDocument.DONE));
        support.start();
        awaitConverged();
        assertThat(support.db().scalar("SELECT document_id FROM synced_documents WHERE record_key = ?", id))
                .isEqualTo(coze.documents(dataset).get(0).documentId());
    }

    @Test
    void anUpdateArrivingWhileThePreviousVersionProcessesEndsWithTheNewestOnly() {
        coze.processingDelay(Duration.ofMillis(1500));
        support.start();
        String id = support.insertProduct("U1", "first", "1.00", null, 1);
        await().atMost(PipelineSupport.WAIT).until(() -> support.db().count("SELECT COUNT(*) FROM coze_documents") == 1);
        support.db().update("UPDATE products SET name = 'second' WHERE id = ?", id);
        await().atMost(PipelineSupport.WAIT).until(() -> support.db().count("SELECT COUNT(*) FROM coze_documents") >= 1
                && support.pending() == 0);
        support.db().update("UPDATE products SET name = 'third' WHERE id = ?", id);
        awaitConverged();

        assertThat(coze.documents(dataset)).singleElement().satisfies(d -> {
            assertThat(d.content()).contains("name: third");
            assertThat(d.status()).isEqualTo(FakeDocument.DONE);
        });
        assertThat(coze.events()).filteredOn(e -> e.type() == FakeEvent.Type.CREATED).hasSize(3);
    }

    @Test
    void aRowThatAlwaysFailsProcessingIsDeadWithCozesReasonAndReplaysOnceFixed() {
        coze.failProcessingContaining("BROKEN", "unsupported characters in document");
        support.start();
        String good = support.insertProduct("OK", "fine", "1.00", null, 1);
        String bad = support.insertProduct("NO", "BROKEN row", "1.00", null, 1);
        await().atMost(Duration.ofSeconds(90)).until(() ->
                support.db().count("SELECT COUNT(*) FROM sync_failures WHERE status = 'DEAD'") == 1);
        Map<String, Object> dead = support.db().query("SELECT * FROM sync_failures").get(0);
        assertThat(dead.get("record_key")).isEqualTo(bad);
        assertThat((String) dead.get("error_message")).contains("unsupported characters in document");
        assertThat(dead.get("attempts")).isEqualTo(4); // cdc.retry.max-attempts in tests
        long configId = ((Number) support.db().scalar("SELECT id FROM sync_configs WHERE name = 'lifecycle'")).longValue();
        io.cozecdc.testing.Api.api().get("/api/v1/sync-configs/" + configId).then().statusCode(200)
                .body("stats.dead", org.hamcrest.Matchers.is(1))
                .body("stats.processingFailed", org.hamcrest.Matchers.is(1))
                .body("stats.processing", org.hamcrest.Matchers.is(0));
        // no failed document is left behind in the dataset
        await().atMost(PipelineSupport.WAIT).until(() -> coze.documents(dataset).size() == 1);
        assertThat(support.documentsByKey(dataset, "id").keySet()).containsExactly(good);

        coze.clearFaults();
        support.db().update("UPDATE sync_failures SET status = 'RETRYING', attempts = 0, next_attempt_at = NOW(3) WHERE record_key = ?", bad);
        awaitConverged();
        assertThat(support.documentsByKey(dataset, "id").keySet()).containsExactlyInAnyOrder(good, bad);
    }

    private void awaitConverged() {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() ->
                support.pending() == 0
                        && support.db().count("SELECT COUNT(*) FROM coze_documents WHERE state <> 'DONE'") == 0
                        && support.db().count("SELECT COUNT(*) FROM sync_failures") == 0);
    }
}
