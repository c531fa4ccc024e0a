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

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import io.cozecdc.configs.SyncConfig;
import io.cozecdc.failures.FailureCodes;
import io.cozecdc.ops.Reconciler;
import io.cozecdc.sync.documents.DocumentNames;
import io.cozecdc.testing.InjectFakeCoze;
import io.cozecdc.testing.PipelineSupport;
import io.cozecdc.testing.coze.FakeCoze;
import io.cozecdc.testing.coze.FakeCoze.Endpoint;
import io.cozecdc.testing.coze.FakeDocument;
import io.cozecdc.testing.coze.FakeEvent;

/**
 * Create intents (issue 14, items 1–3): an applied but unanswered create is settled in seconds, a
 * reconciliation pass never deletes a document whose answer is late, a batch slower than its lease
 * keeps its claim, and the resolver reads the listing from its newest end in either order. Request
 * timeout 3 s, lease 3 s renewed every second, one Coze call at a time, retries after 5–10 s; the resolver
 * looks 250 ms after a call without an answer and every 250 ms (the fake registers a create at once).
 */
@QuarkusTest
@TestProfile(CreateIntentsTest.Profile.class)
class CreateIntentsTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("coze.request-timeout", "3s",
                    "cdc.reconcile.grace", "500ms",
                    "cdc.intents.settle", "250ms",
                    "cdc.intents.resolve-interval", "250ms",
                    "cdc.poll.lease", "3s",
                    "cdc.leases.renew-interval", "1s",
                    "coze.max-concurrency", "1",
                    // retries of a failed create wait 5–10 s: long after the resolver has adopted its document
                    "cdc.retry.initial-backoff", "10s",
                    "cdc.retry.max-backoff", "20s");
        }
    }

    private static final List<String> FIELDS = List.of("id", "name", "stock_quantity");

    @Inject
    Reconciler reconciler;
    @Inject
    PipelineSupport support;
    @Inject
    io.cozecdc.testing.JobTicker ticker;
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
        // Coze applied the create; the service gave up waiting for the answer after 3 s
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

    /**
     * The retry of an unanswered create comes round before the resolver has looked the document up (with the
     * defaults it usually does: a retry after 1–2 s, the resolver after the 2 s settle time). It does not
     * send a second create: it waits, without counting an attempt, until the resolver has adopted the
     * document the first call made. Without the wait Coze got two creates and held two documents until the
     * resolver deleted one.
     */
    @Test
    void theRetryOfAnUnansweredCreateWaitsForTheResolverInsteadOfCreatingASecondDocument() {
        support.config("waits", "products", dataset, FIELDS, null);
        coze.timeoutAfterApply(Endpoint.CREATE, 1.0, Duration.ofSeconds(6));
        support.start();
        ticker.hold("cdc-intents");
        try {
            String id = support.insertProduct("W1", "waits", "1.00", null, 1);
            await().atMost(PipelineSupport.WAIT).until(() -> support.db().count("SELECT COUNT(*) FROM sync_failures") == 1);
            coze.clearFaults();
            // the retry is due now (the profile's backoff is 5–10 s): it comes round while the intent is open
            support.db().update("UPDATE sync_failures SET next_attempt_at = UTC_TIMESTAMP(3) - INTERVAL 1 SECOND");
            await().atMost(PipelineSupport.WAIT).pollInterval(Duration.ofMillis(50)).until(() -> coze.documentsCreated() > 1
                    || support.db().count("SELECT COUNT(*) FROM sync_failures WHERE error_code = ?",
                            FailureCodes.CREATE_UNRESOLVED) == 1);
            assertThat(coze.documentsCreated()).as("creates sent while the first one's outcome was unknown").isEqualTo(1);
            assertThat(support.db().scalar("SELECT attempts FROM sync_failures WHERE record_key = ?", id))
                    .as("waiting is not an attempt").isEqualTo(1);
            assertThat(support.db().count("SELECT COUNT(*) FROM create_intents")).isEqualTo(1);
        } finally {
            ticker.release("cdc-intents");
        }
        // the resolver adopts the document (the waiting retry is parked with it until Coze has processed it)
        await().atMost(PipelineSupport.WAIT).pollInterval(Duration.ofMillis(100)).until(this::converged);
        assertThat(coze.documents(dataset)).singleElement().satisfies(d -> assertThat(d.status()).isEqualTo(FakeDocument.DONE));
        assertThat(coze.documentsCreated()).isEqualTo(1);
    }

    /**
     * Documents are deleted while the resolver reads the listing (the service's own janitor, another client):
     * after it read page 1 for the total, one document before ours goes, the page the old total made last is
     * empty, and ours is the last of the page before. The resolver still finds it and adopts it; it used to
     * stop at the empty page, close the intent as "not created" and leave the document an orphan beside the
     * one the retry then created.
     */
    @Test
    void anUnansweredCreateIsFoundWhenADeletionEmptiesTheLastPageBetweenTwoPageReads() {
        SyncConfig config = support.config("shrinking", "products", dataset, FIELDS, null);
        oldDocumentsOfOurs(config, 200, "older-");
        coze.timeoutAfterApply(Endpoint.CREATE, 1.0, Duration.ofSeconds(6));
        support.start();
        ticker.hold("cdc-intents");
        String id;
        try {
            id = support.insertProduct("D1", "shrinking listing", "1.00", null, 1);
            await().atMost(PipelineSupport.WAIT).until(() -> support.db().count("SELECT COUNT(*) FROM sync_failures") == 1);
            coze.clearFaults();
            assertThat(coze.documents(dataset)).as("200 older documents and ours, alone on page 3 of 100").hasSize(201);
            coze.deleteAfterNextList(List.of(coze.documents(dataset).get(0).documentId()));
        } finally {
            ticker.release("cdc-intents");
        }
        await().atMost(PipelineSupport.WAIT).pollInterval(Duration.ofMillis(100)).until(this::converged);

        assertThat(support.documentsByKey(dataset, "id").get(id)).as("documents of the row")
                .singleElement().satisfies(d -> assertThat(d.status()).isEqualTo(FakeDocument.DONE));
        assertThat(coze.documentsCreated()).as("the applied create adopted, none sent again").isEqualTo(200 + 1);
        assertThat(coze.documents(dataset)).hasSize(200);
    }

    @Test
    void aReconciliationPassRacingACreateWhoseAnswerIsLateNeverDeletesTheCreatedDocument() {
        support.config("late", "products", dataset, FIELDS, null);
        // applied at once, answered 2 s later: within the 3 s timeout, long after the 0.5 s grace
        coze.timeoutAfterApply(Endpoint.CREATE, 1.0, Duration.ofSeconds(2));
        support.start();
        String id = support.insertProduct("R1", "late answer", "1.00", null, 1);
        await().atMost(PipelineSupport.WAIT).until(() -> coze.documents(dataset).size() == 1);
        String created = coze.documents(dataset).get(0).documentId();
        // past the grace period, the answer still on its way: the document is in Coze and nowhere in the ledger
        support.awaitPastReconciliationGrace(dataset);
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

    @Test
    void anUnansweredCreateOnTheLastOfFivePagesIsFoundReadingThreePagesInEitherListingOrder() {
        SyncConfig config = support.config("paged", "products", dataset, FIELDS, null);
        oldDocumentsOfOurs(config, 450, "old-");
        for (boolean newestFirst : List.of(false, true)) {
            coze.listNewestFirst(newestFirst);
            int listsBefore = coze.requestCount(Endpoint.LIST);
            coze.timeoutAfterApply(Endpoint.CREATE, 1.0, Duration.ofSeconds(6));
            support.start();
            String id = support.insertProduct("P" + newestFirst, "paged " + newestFirst, "1.00", null, 1);
            await().atMost(PipelineSupport.WAIT).until(() -> support.db().count(
                    "SELECT COUNT(*) FROM sync_failures WHERE record_key = ?", id) == 1);
            coze.clearFaults();
            coze.listNewestFirst(newestFirst);
            await().atMost(PipelineSupport.WAIT).pollInterval(Duration.ofMillis(100)).until(this::converged);

            assertThat(support.documentsByKey(dataset, "id").get(id)).as("documents of the row (newest first: %s)", newestFirst)
                    .singleElement().satisfies(d -> assertThat(d.status()).isEqualTo(FakeDocument.DONE));
            assertThat(coze.documents(dataset).stream().filter(d -> d.name().contains(":old-")).count())
                    .as("documents the resolver must not touch").isEqualTo(450);
            // the retry waits 5 s (the profile), long after the resolver adopted the applied document
            assertThat(coze.documentsCreated()).isEqualTo(450 + (newestFirst ? 2 : 1));
            // page 1 (for the total), the last page, then one more page, which is older than the intent: stop
            assertThat(coze.requestCount(Endpoint.LIST) - listsBefore).as("list calls (newest first: %s)", newestFirst)
                    .isEqualTo(3);
            support.stop();
        }
    }

    /**
     * {@code count} documents of the configuration, named as the service names them but sent 10 minutes ago
     * and pointed to by nothing (reconciliation's business, not the resolver's), made in calls of 10 through
     * the fake's API; their record keys start with {@code keyPrefix}.
     */
    private void oldDocumentsOfOurs(SyncConfig config, int count, String keyPrefix) {
        java.time.Instant old = java.time.Instant.now().minus(Duration.ofMinutes(10));
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add(DocumentNames.name(config.id(), 100_000 + i, old, "products", keyPrefix + i));
        }
        for (int i = 0; i < names.size(); i += 10) {
            coze.createAsAnotherClient(dataset, names.subList(i, Math.min(names.size(), i + 10)));
        }
    }

    private boolean converged() {
        return support.pending() == 0
                && support.db().count("SELECT COUNT(*) FROM coze_documents WHERE state <> 'DONE'") == 0
                && support.db().count("SELECT COUNT(*) FROM sync_failures") == 0
                && support.db().count("SELECT COUNT(*) FROM create_intents") == 0;
    }
}
