package io.cozecdc.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cozecdc.ops.Reconciler;
import io.cozecdc.testing.InjectFakeCoze;
import io.cozecdc.testing.PipelineSupport;
import io.cozecdc.testing.coze.FakeCoze;
import io.cozecdc.testing.coze.FakeCoze.Endpoint;
import io.cozecdc.testing.coze.FakeDocument;
import io.cozecdc.testing.coze.FakeEvent;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Create intents (issue 14, items 1–3): an applied but unanswered create is settled in seconds, a
 * reconciliation pass never deletes a document whose answer is late, and a batch slower than its lease
 * keeps its claim. Request timeout 4 s, lease 3 s renewed every second, one Coze call at a time.
 */
@QuarkusTest
@TestProfile(CreateIntentsTest.Profile.class)
class CreateIntentsTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("coze.request-timeout", "4s",
                    "cdc.reconcile.grace", "1s",
                    "cdc.poll.lease", "3s",
                    "cdc.leases.renew-interval", "1s",
                    "coze.max-concurrency", "1");
        }
    }

    private static final List<String> FIELDS = List.of("id", "name", "stock_quantity");

    @Inject
    Reconciler reconciler;
    @Inject
    PipelineSupport support;
    @InjectFakeCoze
    FakeCoze coze;
    String dataset;

    @BeforeEach
    void setUp() {
        support.reset();
        dataset = coze.createDataset("intents-kb");
    }

    @AfterEach
    void tearDown() {
        support.stop();
        coze.reset();
    }

    @Test
    void aCreateAppliedButNeverAnsweredEndsWithOneDocumentWithinSecondsWithoutReconciliation() {
        support.config("unanswered", "products", dataset, FIELDS, null);
        coze.timeoutAfterApply(Endpoint.CREATE, 1.0, Duration.ofSeconds(6));
        support.start();
        String id = support.insertProduct("U1", "never answered", "1.00", null, 1);
        // Coze applied the create; the service gave up waiting for the answer after 4 s
        await().atMost(PipelineSupport.WAIT).until(() -> support.db().count("SELECT COUNT(*) FROM sync_failures") == 1);
        long timedOutAt = System.nanoTime();
        assertThat(coze.documents(dataset)).hasSize(1);
        coze.clearFaults();

        // reconciliation is off in the tests: only the intent can settle this
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> converged()
                && coze.documents(dataset).size() == 1);
        double seconds = (System.nanoTime() - timedOutAt) / 1e9;
        System.out.printf("ambiguous create resolved %.1f s after the call timed out%n", seconds);
        assertThat(seconds).as("resolved within seconds of the timeout").isLessThan(15);
        FakeDocument doc = coze.documents(dataset).get(0);
        assertThat(doc.content()).contains(id).contains("never answered");
        assertThat(doc.status()).isEqualTo(FakeDocument.DONE);
        assertThat(support.db().scalar("SELECT document_id FROM synced_documents WHERE record_key = ?", id))
                .isEqualTo(doc.documentId());
        assertThat(support.db().count("SELECT COUNT(*) FROM create_intents")).isZero();
    }

    @Test
    void aReconciliationPassRacingACreateWhoseAnswerIsLateNeverDeletesTheCreatedDocument() {
        support.config("late", "products", dataset, FIELDS, null);
        // applied at once, answered 3 s later: within the 4 s timeout, long after the 1 s grace
        coze.timeoutAfterApply(Endpoint.CREATE, 1.0, Duration.ofSeconds(3));
        support.start();
        String id = support.insertProduct("R1", "late answer", "1.00", null, 1);
        await().atMost(PipelineSupport.WAIT).until(() -> coze.documents(dataset).size() == 1);
        String created = coze.documents(dataset).get(0).documentId();
        // past the grace period, the answer still on its way: the document is in Coze and nowhere in the ledger
        await().pollDelay(Duration.ofMillis(1600)).until(() -> true);
        assertThat(support.db().count("SELECT COUNT(*) FROM coze_documents")).isZero();

        int deleted = reconciler.reconcile().await().atMost(PipelineSupport.WAIT);

        assertThat(deleted).isZero();
        coze.clearFaults();
        await().atMost(PipelineSupport.WAIT).pollInterval(Duration.ofMillis(100)).until(this::converged);
        assertThat(coze.documents(dataset)).singleElement().satisfies(d -> {
            assertThat(d.documentId()).isEqualTo(created);
            assertThat(d.content()).contains(id);
        });
        assertThat(coze.documentsCreated()).as("no re-upload was needed").isEqualTo(1);
    }

    @Test
    void aCozeSlowerThanTheLeaseNeverCreatesAChangeTwice() {
        support.config("slow", "products", dataset, FIELDS, null);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add(support.insertProduct("S" + i, "slow " + i, "1.00", null, i));
        }
        // one call at a time, 1.2 s each: the batch of 40 (4 calls) takes about 5 s, its lease is 3 s
        coze.latency(Endpoint.CREATE, Duration.ofMillis(1200));
        support.start();

        await().atMost(PipelineSupport.WAIT).pollInterval(Duration.ofMillis(200)).until(this::converged);
        Map<String, Integer> createdPerChange = new HashMap<>();
        for (FakeEvent e : coze.events()) {
            if (e.type() == FakeEvent.Type.CREATED) {
                String logId = e.name().split(":")[2];
                createdPerChange.merge(logId, 1, Integer::sum);
            }
        }
        assertThat(createdPerChange).hasSize(40);
        assertThat(createdPerChange.values()).as("documents created per change").containsOnly(1);
        assertThat(coze.documents(dataset)).hasSize(40);
        assertThat(support.db().count("SELECT COUNT(*) FROM data_change_logs WHERE processed = 0")).isZero();
    }

    private boolean converged() {
        return support.pending() == 0
                && support.db().count("SELECT COUNT(*) FROM coze_documents WHERE state <> 'DONE'") == 0
                && support.db().count("SELECT COUNT(*) FROM sync_failures") == 0
                && support.db().count("SELECT COUNT(*) FROM create_intents") == 0;
    }
}
