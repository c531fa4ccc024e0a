package io.cozecdc.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;

import io.cozecdc.changelog.Change;
import io.cozecdc.changelog.ChangeLogRepository;
import io.cozecdc.common.JobControl;
import io.cozecdc.configs.ConfigRegistry;
import io.cozecdc.configs.SyncConfig;
import io.cozecdc.configs.SyncConfigRepository;
import io.cozecdc.ops.Reconciler;
import io.cozecdc.sync.documents.LedgerDocument;
import io.cozecdc.sync.documents.LedgerRepository;
import io.cozecdc.sync.documents.LedgerState;
import io.cozecdc.testing.InjectFakeCoze;
import io.cozecdc.testing.PipelineSupport;
import io.cozecdc.testing.coze.FakeCoze;
import io.cozecdc.testing.coze.FakeCoze.Endpoint;
import io.cozecdc.testing.coze.FakeDocument;
import io.cozecdc.testing.coze.FakeEvent;

/** The pipeline under concurrency, crashes, faults, poison records and revoked auth. */
@QuarkusTest
class SyncFaultsTest {

    private static final List<String> FIELDS = List.of("id", "name", "stock_quantity");
    @Inject
    JobControl control;
    @Inject
    ConfigRegistry registry;
    @Inject
    SyncConfigRepository configs;
    @Inject
    BatchProcessor processor;
    @Inject
    ProcessingTracker tracker;
    @Inject
    ChangeLogRepository changeLog;
    @Inject
    ConfigDelivery configSync;
    @Inject
    Reconciler reconciler;
    @Inject
    io.cozecdc.failures.RetrySettings retry;
    @Inject
    SyncCommitter committer;
    @Inject
    LedgerRepository ledger;
    @Inject
    SyncSettings sync;
    @InjectFakeCoze
    FakeCoze coze;

    @Inject
    PipelineSupport support;
    String dataset;

    @BeforeEach
    void setUp() {
        support.reset();
        dataset = coze.createDataset("faults-kb");
    }

    @AfterEach
    void tearDown() {
        support.stop();
        coze.reset();
    }

    @Test
    void twoClaimersAtOnceProcessEveryChangeExactlyOnce() throws Exception {
        support.config("two", "products", dataset, FIELDS, null);
        List<String> ids = writeMixedWorkload(300);
        long rows = support.db().count("SELECT COUNT(*) FROM data_change_logs");
        coze.latency(Duration.ofMillis(20));

        AtomicInteger claimed = new AtomicInteger();
        List<Thread> claimers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Thread t = new Thread(() -> {
                int n;
                do {
                    n = processor.processBatch().await().atMost(PipelineSupport.WAIT);
                    claimed.addAndGet(n);
                } while (n > 0 || support.pending() > 0);
            });
            claimers.add(t);
            t.start();
        }
        for (Thread t : claimers) {
            t.join(120_000);
        }
        assertThat(claimed.get()).as("rows claimed over both claimers").isEqualTo(rows);
        settle();
        assertExactState(ids);
    }

    @Test
    void aReplicaThatDiesHoldingClaimsLosesNothing() {
        support.config("lease", "products", dataset, FIELDS, null);
        List<String> ids = writeMixedWorkload(60);
        Instant now = Instant.now();
        List<Change> held = changeLog.claim("dead-replica#1", 1000, now, now.plusSeconds(2)).await().atMost(PipelineSupport.WAIT);
        assertThat(held).isNotEmpty();

        support.start();
        // nothing moves while the dead replica's lease lasts …
        assertThat(support.pending()).isEqualTo(held.size());
        // … then its rows come back and converge
        awaitConverged();
        assertThat(support.db().count("SELECT COUNT(*) FROM data_change_logs WHERE claimed_by LIKE 'dead-replica%'")).isZero();
        assertExactState(ids);
    }

    @Test
    void underServerErrorsGatewayErrorsAndLostAnswersTheFinalStateIsExact() {
        support.config("faulty", "products", dataset, FIELDS, null);
        coze.seed(42);
        for (Endpoint endpoint : List.of(Endpoint.CREATE, Endpoint.DELETE, Endpoint.PROCESS)) {
            coze.failWithCode(endpoint, 5000, 0.20)
                    .failWithHttpStatus(endpoint, 502, 0.05)
                    .timeoutAfterApply(endpoint, 0.03, Duration.ofSeconds(3));
        }
        support.start();
        List<String> ids = writeMixedWorkload(200);

        awaitConverged();
        int creates = coze.requestCount(Endpoint.CREATE);
        assertThat(creates).isPositive();
        // lost answers leave documents nothing points to; reconciliation removes them once they are old enough
        coze.clearFaults();
        // no open create intent names a document Coze holds (the resolver adopts or deletes those, reconciliation
        // leaves them alone), and every document is old enough for reconciliation to judge
        await().atMost(PipelineSupport.WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            java.util.Set<String> held = new java.util.HashSet<>();
            coze.documents(dataset).forEach(d -> held.add(d.name()));
            return support.db().query("SELECT document_name FROM create_intents").stream()
                    .noneMatch(r -> held.contains((String) r.get("document_name")));
        });
        support.awaitPastReconciliationGrace(dataset);
        reconciler.reconcile().await().atMost(PipelineSupport.WAIT);
        settleDeletes();
        assertExactState(ids);
        assertThat(support.db().count("SELECT COUNT(*) FROM sync_failures")).isZero();
    }

    @Test
    void aCreateWhoseAnswerWasLostLeavesNoDuplicateAndNothingForReconciliation() {
        support.config("lost", "products", dataset, FIELDS, null);
        coze.timeoutAfterApply(Endpoint.CREATE, 1.0, Duration.ofSeconds(3));
        support.start();
        String id = support.insertProduct("L1", "lost answer", "1.00", null, 1);
        await().atMost(PipelineSupport.WAIT).until(() -> support.db().count("SELECT COUNT(*) FROM sync_failures") == 1);
        assertThat(coze.documents(dataset)).hasSize(1); // applied, but the service never heard of it

        coze.clearFaults();
        // the create intent of the lost call is resolved (its document adopted, or deleted if the retry's won)
        awaitConverged();
        await().atMost(PipelineSupport.WAIT).until(() -> support.db().count("SELECT COUNT(*) FROM create_intents") == 0
                && coze.documents(dataset).size() == 1);
        settleDeletes();

        support.awaitPastReconciliationGrace(dataset); // else reconciliation would not even look at the documents
        int orphans = reconciler.reconcile().await().atMost(PipelineSupport.WAIT);
        assertThat(orphans).as("nothing left for reconciliation").isZero();
        assertThat(coze.documents(dataset)).singleElement().satisfies(d -> assertThat(d.content()).contains(id));
        assertThat(support.db().scalar("SELECT document_id FROM synced_documents WHERE record_key = ?", id))
                .isEqualTo(coze.documents(dataset).get(0).documentId());
    }

    @Test
    void aProgressAnswerOlderThanAnotherReplicasPromotionDoesNotDeleteTheLiveDocument() {
        SyncConfig config = support.config("promoted", "products", dataset, FIELDS, null);
        coze.processingDelay(Duration.ofMinutes(10)); // until finishProcessing() below
        support.start();
        String id = support.insertProduct("P9", "promoted", "1.00", null, 1);
        // replica A reads the document while it is still PROCESSING (its progress answer will be old) …
        await().atMost(PipelineSupport.WAIT).until(() -> support.db().count(
                "SELECT COUNT(*) FROM coze_documents WHERE state = 'PROCESSING'") == 1);
        String documentId = (String) support.db().scalar("SELECT document_id FROM coze_documents");
        LedgerDocument seenByA = ledger.find(ledger.pool(), documentId).await().atMost(PipelineSupport.WAIT);
        // … replica B promotes it meanwhile, once Coze has processed it
        assertThat(coze.finishProcessing()).isEqualTo(1);
        awaitConverged();
        assertThat(support.db().scalar("SELECT document_id FROM synced_documents WHERE record_key = ?", id)).isEqualTo(documentId);

        // A now acts on its old answer ("still processing past the timeout")
        List<String> toDelete = committer.processingFailed(config, seenByA, -5, "did not finish in time")
                .await().atMost(PipelineSupport.WAIT);

        assertThat(toDelete).as("nothing to delete: the document is live").isEmpty();
        assertThat(support.db().scalar("SELECT state FROM coze_documents WHERE document_id = ?", documentId)).isEqualTo("DONE");
        assertThat(support.db().count("SELECT COUNT(*) FROM sync_failures")).isZero();
        assertThat(coze.documents(dataset)).singleElement().satisfies(d -> assertThat(d.documentId()).isEqualTo(documentId));
    }

    /**
     * The processing tracker's claim (due PROCESSING documents) and the document janitor's (due OBSOLETE ones)
     * read one index and run at the same moments. A claim locks only the documents it takes: while the janitor's
     * claim is open, the tracker takes every due document, the most overdue one too (a locking read of the
     * OBSOLETE range also locked the entry after it, and the tracker's SKIP LOCKED passed over exactly that
     * document), and a second tracker claim meanwhile takes none of them.
     */
    @Test
    void aDocumentClaimLocksOnlyTheDocumentsItTakes() {
        Map<String, String> docs = Map.of("7400000000000000901", "PROCESSING", "7400000000000000902", "PROCESSING",
                "7400000000000000903", "OBSOLETE");
        docs.forEach((id, state) -> support.db().update("INSERT INTO coze_documents (document_id, config_id, dataset_id, "
                + "record_key, log_id, content_hash, state, created_at, next_check_at) VALUES (?, 1, 1, ?, 1, 'h', ?, NOW(3), "
                + "NOW(3) - INTERVAL ? SECOND)", id, id, state, id.endsWith("901") ? 2 : 1));
        Instant now = Instant.now();
        List<List<String>> claimed = ledger.pool().withTransaction(janitor -> ledger.claim(janitor, LedgerState.OBSOLETE, now, 100,
                now.plusSeconds(60)).chain(obsolete -> ledger.pool().withTransaction(tracker -> ledger.claim(tracker,
                        LedgerState.PROCESSING, now, 100, now.plusSeconds(3)).chain(processing -> ledger.claim(LedgerState.PROCESSING,
                                now, 100, now.plusSeconds(3)).map(meanwhile -> List.of(LedgerRepository.ids(obsolete),
                                        LedgerRepository.ids(processing), LedgerRepository.ids(meanwhile)))))))
                .await().atMost(PipelineSupport.WAIT);
        assertThat(claimed.get(0)).as("the janitor's claim").containsExactly("7400000000000000903");
        assertThat(claimed.get(1)).as("the tracker's claim while the janitor's is open, most overdue first")
                .containsExactly("7400000000000000901", "7400000000000000902");
        assertThat(claimed.get(2)).as("a second tracker claim while the first is open").isEmpty();
    }

    /**
     * Coze's progress is read once per poll interval: a new document, and a document still processing after
     * a round read it, are due again within half an interval of the commit or of the round's start, so the
     * next round takes them (or at once, if the round itself took longer). Counted from the end of the check,
     * a document came due just after the next round had claimed and was read only every second round.
     */
    @Test
    void aDocumentStillProcessingIsDueAgainForTheTrackersNextRound() {
        support.config("cadence", "products", dataset, FIELDS, null);
        coze.processingDelay(Duration.ofMinutes(10)); // until finishProcessing() below
        Duration interval = sync.processing().pollInterval();
        Duration slack = Duration.ofMillis(20); // the service's clock against the database's, and millisecond rounding
        support.insertProduct("P7", "cadence", "1.00", null, 1);
        processor.processBatch().await().atMost(PipelineSupport.WAIT); // jobs are paused: this is the only round
        LocalDateTime committed = dbNow();
        assertThat(dbTime("SELECT next_check_at FROM coze_documents WHERE state = 'PROCESSING'"))
                .as("a new document's first check").isBeforeOrEqualTo(committed.plus(interval.dividedBy(2)).plus(slack));

        support.db().update("UPDATE coze_documents SET next_check_at = UTC_TIMESTAMP(3) - INTERVAL 1 SECOND");
        coze.latency(Endpoint.PROCESS, Duration.ofMillis(60)); // a progress call that takes a while, as Coze's do
        LocalDateTime roundStarted = dbNow();
        tracker.track().await().atMost(PipelineSupport.WAIT);
        LocalDateTime roundEnded = dbNow();

        LocalDateTime next = dbTime("SELECT next_check_at FROM coze_documents WHERE state = 'PROCESSING'");
        LocalDateTime halfAnInterval = roundStarted.plus(interval.dividedBy(2)).plus(slack);
        assertThat(next).as("still processing after a round from %s to %s: due again by the next round", roundStarted, roundEnded)
                .isBeforeOrEqualTo(halfAnInterval.isAfter(roundEnded) ? halfAnInterval : roundEnded);
        assertThat(coze.finishProcessing()).isEqualTo(1);
        settle();
        assertThat(coze.documents(dataset)).singleElement();
    }

    /** The database's clock in UTC, as the service's sessions see it and write next_check_at. */
    /**
     * A progress read that fails (Coze answered 5000) leaves the documents due for the next round, not for the
     * end of the claim's lease (at least three renewal intervals, 15 s with the defaults).
     */
    @Test
    void aDocumentWhoseProgressCouldNotBeReadIsDueAgainForTheTrackersNextRound() {
        support.config("unread", "products", dataset, FIELDS, null);
        coze.processingDelay(Duration.ofMinutes(10)); // until finishProcessing() below
        Duration interval = sync.processing().pollInterval();
        support.insertProduct("P8", "unread", "1.00", null, 1);
        processor.processBatch().await().atMost(PipelineSupport.WAIT);
        support.db().update("UPDATE coze_documents SET next_check_at = UTC_TIMESTAMP(3) - INTERVAL 1 SECOND");
        coze.failWithCode(Endpoint.PROCESS, 5000, 1.0);
        int progressCalls = coze.requestCount(Endpoint.PROCESS);
        LocalDateTime roundStarted = dbNow();
        tracker.track().await().atMost(PipelineSupport.WAIT);
        LocalDateTime roundEnded = dbNow();
        assertThat(coze.requestCount(Endpoint.PROCESS)).as("progress calls (all refused)").isGreaterThan(progressCalls);

        LocalDateTime next = dbTime("SELECT next_check_at FROM coze_documents WHERE state = 'PROCESSING'");
        LocalDateTime halfAnInterval = roundStarted.plus(interval.dividedBy(2)).plus(Duration.ofMillis(20));
        assertThat(next).as("progress not read in a round from %s to %s: due again by the next round", roundStarted, roundEnded)
                .isBeforeOrEqualTo(halfAnInterval.isAfter(roundEnded) ? halfAnInterval : roundEnded);
        coze.clearFaults();
        assertThat(coze.finishProcessing()).isEqualTo(1);
        settle();
        assertThat(coze.documents(dataset)).singleElement();
    }

    private LocalDateTime dbNow() {
        return dbTime("SELECT UTC_TIMESTAMP(3)");
    }

    private LocalDateTime dbTime(String query) {
        return ((java.sql.Timestamp) support.db().scalar(query)).toLocalDateTime();
    }

    @Test
    void reconciliationLeavesYoungDocumentsAndOthersDocumentsAlone() {
        support.config("owner", "products", dataset, FIELDS, null);
        String foreign = coze.createDataset("unused");
        // a document someone else made in the same dataset, and a young one of ours nothing points to yet
        coze.createAsAnotherClient(dataset, List.of("manual upload.txt", io.cozecdc.sync.documents.DocumentNames.name(
                registry.all().get(0).id(), 1, Instant.now(), "products", "k")));
        assertThat(reconciler.reconcile().await().atMost(PipelineSupport.WAIT)).isZero();
        assertThat(coze.documents(dataset)).hasSize(2);
        assertThat(foreign).isNotBlank();
    }

    @Test
    void reconciliationPagesThroughTheWholeDatasetAndDeletesOnlyOrphans() {
        support.config("pages", "products", dataset, FIELDS, null);
        support.start();
        List<String> live = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            live.add(support.insertProduct("L" + i, "live " + i, "1.00", null, i));
        }
        await().atMost(PipelineSupport.WAIT).until(() -> coze.documents(dataset).size() == 5 && support.pending() == 0);
        // 250 old documents of ours that nothing points to: three list pages of 100, with the live ones among them
        long configId = registry.all().get(0).id();
        Instant old = Instant.now().minus(Duration.ofHours(1));
        for (int call = 0; call < 25; call++) {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                names.add(io.cozecdc.sync.documents.DocumentNames.name(configId, 1, old, "products", "orphan-" + call + "-" + i));
            }
            coze.createAsAnotherClient(dataset, names);
        }
        assertThat(coze.documents(dataset)).hasSize(255);

        assertThat(reconciler.reconcile().await().atMost(PipelineSupport.WAIT)).isEqualTo(250);
        assertThat(coze.documents(dataset)).hasSize(5)
                .allSatisfy(d -> assertThat(live).anySatisfy(key -> assertThat(d.name()).endsWith(":" + key)));
        assertThat(coze.requestCount(Endpoint.LIST)).isGreaterThanOrEqualTo(3);
    }

    @Test
    void reconciliationReadsUpToTheTotalWhenCozeServesShorterPagesThanAsked() {
        support.config("short-pages", "products", dataset, FIELDS, null);
        support.start();
        String live = support.insertProduct("L0", "live", "1.00", null, 1);
        await().atMost(PipelineSupport.WAIT).until(() -> coze.documents(dataset).size() == 1 && support.pending() == 0);
        long configId = registry.all().get(0).id();
        Instant old = Instant.now().minus(Duration.ofHours(1));
        for (int call = 0; call < 5; call++) {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                names.add(io.cozecdc.sync.documents.DocumentNames.name(configId, 1, old, "products", "orphan-" + call + "-" + i));
            }
            coze.createAsAnotherClient(dataset, names);
        }
        // the service asks for 100 a page; this Coze serves at most 20 (no maximum is documented)
        coze.capListPage(20);
        int listsBefore = (int) coze.requestCount(Endpoint.LIST);

        assertThat(reconciler.reconcile().await().atMost(PipelineSupport.WAIT)).isEqualTo(50);
        assertThat(coze.documents(dataset)).singleElement().satisfies(d -> assertThat(d.name()).endsWith(":" + live));
        assertThat(coze.requestCount(Endpoint.LIST) - listsBefore).isEqualTo(3); // 20 + 20 + 11 = total
    }

    @Test
    void throttlingAnswersSlowTheServiceButNeverMakeADeadLetter() {
        support.config("throttled", "products", dataset, FIELDS, null);
        coze.failWithCode(Endpoint.CREATE, 4013, 1.0);
        support.start();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(support.insertProduct("T" + i, "throttled " + i, "1.00", null, i));
        }
        // every round is one create call plus two quick retries: wait for more rounds than max-attempts (the
        // throttles also make Coze look down, so the service holds back between rounds: up to coze.down-probe-max,
        // 1 s in tests, 30 s by default)
        int rounds = retry.maxAttempts() + 1;
        await().atMost(Duration.ofMinutes(3)).until(() -> coze.requestCount(Endpoint.CREATE) >= 3 * rounds
                || support.db().count("SELECT COUNT(*) FROM sync_failures WHERE status = 'DEAD'") > 0);
        assertThat(support.db().count("SELECT COUNT(*) FROM sync_failures WHERE status = 'DEAD'")).isZero();
        assertThat(support.db().count("SELECT COUNT(*) FROM sync_failures WHERE attempts > 0")).isZero();
        assertThat(support.db().count("SELECT COUNT(*) FROM sync_failures WHERE error_code = 4013")).isEqualTo(3);

        coze.clearFaults();
        await().atMost(PipelineSupport.WAIT).until(() -> coze.documents(dataset).size() == 3
                && support.db().count("SELECT COUNT(*) FROM sync_failures") == 0);
        assertThat(support.documentsByKey(dataset, "id").keySet()).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void aPoisonRecordIsDeadWithCodeAndMessageWhileTheRestSyncs() {
        support.config("poison", "products", dataset, FIELDS, null);
        coze.rejectContentContaining("POISON");
        support.start();
        List<String> good = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            good.add(support.insertProduct("G" + i, "good " + i, "1.00", null, i));
        }
        String bad = support.insertProduct("BAD", "POISON pill", "1.00", null, 0);

        await().atMost(PipelineSupport.WAIT).until(() -> coze.documents(dataset).size() == 25 && support.pending() == 0
                && support.db().count("SELECT COUNT(*) FROM sync_failures WHERE status = 'DEAD'") == 1);
        Map<String, Object> dead = support.db().query("SELECT * FROM sync_failures").get(0);
        assertThat(dead.get("record_key")).isEqualTo(bad);
        assertThat(dead.get("error_code")).isEqualTo(4000);
        assertThat((String) dead.get("error_message")).contains("POISON");
        assertThat((String) dead.get("logid")).isNotBlank();
        assertThat((String) dead.get("payload")).contains("POISON pill");
        assertThat(support.documentsByKey(dataset, "id").keySet()).containsExactlyInAnyOrderElementsOf(good);
    }

    @Test
    void aStaleRetryIsANoOp() {
        SyncConfig config = support.config("stale", "products", dataset, FIELDS, null);
        support.start();
        String id = support.insertProduct("S1", "first", "1.00", null, 1);
        support.db().update("UPDATE products SET name = 'second' WHERE id = ?", id);
        awaitConverged();
        long oldest = support.db().count("SELECT MIN(id) FROM data_change_logs WHERE record_uuid = ?", id);
        int creates = coze.requestCount(Endpoint.CREATE);
        support.db().update("INSERT INTO sync_failures (config_id, log_id, table_name, record_key, operation, payload, attempts, "
                + "next_attempt_at, status) VALUES (?, ?, 'products', ?, 'INSERT', ?, 1, NOW(3), 'RETRYING')",
                config.id(), oldest, id, "{\"id\": \"" + id + "\", \"name\": \"first\", \"stock_quantity\": 1}");

        await().atMost(PipelineSupport.WAIT).until(() -> support.db().count("SELECT COUNT(*) FROM sync_failures") == 0);
        assertThat(coze.requestCount(Endpoint.CREATE)).isEqualTo(creates);
        assertThat(coze.documents(dataset)).singleElement().satisfies(d -> assertThat(d.content()).contains("name: second"));
    }

    @Test
    void revokedAuthPutsTheConfigInErrorHoldsChangesAndRecovers() {
        SyncConfig config = support.config("auth", "products", dataset, FIELDS, null);
        coze.revokeAuth(true);
        support.start();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ids.add(support.insertProduct("A" + i, "auth " + i, "1.00", null, i));
        }
        await().atMost(PipelineSupport.WAIT).until(() -> support.pending() == 0
                && support.db().count("SELECT COUNT(*) FROM sync_failures WHERE status = 'RETRYING'") == 30);
        assertThat(support.db().scalar("SELECT status FROM sync_configs WHERE id = ?", config.id())).isEqualTo("ERROR");
        assertThat((String) support.db().scalar("SELECT status_reason FROM sync_configs WHERE id = ?", config.id())).contains("4100");
        assertThat(support.db().count("SELECT COUNT(*) FROM sync_failures WHERE status = 'DEAD'")).isZero();
        assertThat(coze.requestCount(Endpoint.CREATE)).as("no flood of calls").isLessThanOrEqualTo(5);

        coze.revokeAuth(false);
        awaitConverged();
        assertThat(support.db().scalar("SELECT status FROM sync_configs WHERE id = ?", config.id())).isEqualTo("ACTIVE");
        assertThat(support.documentsByKey(dataset, "id").keySet()).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void anOlderChangeCommittedAfterANewerOneLosesAndDeletesItsDocument() {
        SyncConfig config = support.config("race", "products", dataset, FIELDS, null);
        String id = support.insertProduct("R1", "older", "1.00", null, 1);
        support.db().update("UPDATE products SET name = 'newer' WHERE id = ?", id);
        List<Change> changes = changeLog.claim("test#race", 10, Instant.now(), Instant.now().plusSeconds(60))
                .await().atMost(PipelineSupport.WAIT);
        Change older = changes.get(0);
        Change newer = changes.get(1);
        assertThat(older.logId()).isLessThan(newer.logId());

        coze.latency(Endpoint.CREATE, Duration.ofMillis(600));
        // the newer change starts first and commits first; the older one reads "absent", creates, and loses
        Uni<Map<Change, CommitStatus>> first = configSync.sync(config, List.of(newer)).memoize().indefinitely();
        first.subscribe().with(x -> { });
        // the newer change's create call has reached Coze (counted on arrival; its answer comes 600 ms later),
        // and the older one starts 250 ms after it: it still reads "absent" (the newer commits after its answer)
        // and its own answer comes 250 ms after the newer one's, so it commits second (started at once, the two
        // commits raced: seen once, the older SYNCED)
        await().atMost(PipelineSupport.WAIT).pollInterval(Duration.ofMillis(10))
                .until(() -> coze.requestCount(Endpoint.CREATE) == 1);
        await().pollDelay(Duration.ofMillis(250)).until(() -> true);
        Map<Change, CommitStatus> olderResult = configSync.sync(config, List.of(older)).await().atMost(PipelineSupport.WAIT);
        Map<Change, CommitStatus> newerResult = first.await().atMost(PipelineSupport.WAIT);

        assertThat(newerResult).containsValue(CommitStatus.SYNCED);
        assertThat(olderResult).containsValue(CommitStatus.STALE);
        coze.clearFaults();
        control.resume();
        await().atMost(PipelineSupport.WAIT).until(() -> support.db().count("SELECT COUNT(*) FROM coze_documents WHERE state <> 'DONE'") == 0);
        assertThat(coze.documents(dataset)).singleElement().satisfies(d -> assertThat(d.content()).contains("name: newer"));
        // the loser's document was created and then deleted
        assertThat(coze.events()).filteredOn(e -> e.type() == FakeEvent.Type.CREATED).hasSize(2);
        assertThat(coze.events()).filteredOn(e -> e.type() == FakeEvent.Type.DELETED).singleElement()
                .satisfies(e -> assertThat(e.content()).contains("name: older"));
    }

    /** Inserts n products, updates every third, deletes every fifth; returns the ids inserted. */
    private List<String> writeMixedWorkload(int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(support.insertProduct("W" + i, "row " + i, "2.00", null, i));
        }
        for (int i = 0; i < n; i += 3) {
            support.db().update("UPDATE products SET name = CONCAT(name, ' v2'), stock_quantity = stock_quantity + 1 WHERE id = ?", ids.get(i));
        }
        for (int i = 0; i < n; i += 5) {
            support.db().update("DELETE FROM products WHERE id = ?", ids.get(i));
        }
        return ids;
    }

    /** Every live row has exactly one done document with its current content; deleted rows have none. */
    private void assertExactState(List<String> ids) {
        Map<String, List<FakeDocument>> byKey = support.documentsByKey(dataset, "id");
        List<Map<String, Object>> live = support.db().query("SELECT id, name, stock_quantity FROM products");
        assertThat(byKey.keySet()).containsExactlyInAnyOrderElementsOf(live.stream().map(r -> (String) r.get("id")).toList());
        for (Map<String, Object> row : live) {
            assertThat(byKey.get(row.get("id"))).as("documents of %s", row.get("id")).singleElement().satisfies(doc -> {
                assertThat(doc.status()).isEqualTo(FakeDocument.DONE);
                assertThat(doc.content()).isEqualTo("id: " + row.get("id") + "\nname: " + row.get("name")
                        + "\nstock_quantity: " + row.get("stock_quantity") + "\n");
            });
        }
        assertThat(ids).containsAll(byKey.keySet());
    }

    /** Drives the tracker and the janitor (jobs paused) until Coze holds only done documents we want. */
    private void settle() {
        control.resume();
        awaitConverged();
    }

    private void settleDeletes() {
        await().atMost(PipelineSupport.WAIT).until(() -> support.db().count("SELECT COUNT(*) FROM coze_documents WHERE state <> 'DONE'") == 0);
    }

    private void awaitConverged() {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() ->
                support.pending() == 0
                        && support.db().count("SELECT COUNT(*) FROM coze_documents WHERE state <> 'DONE'") == 0
                        && support.db().count("SELECT COUNT(*) FROM sync_failures") == 0);
    }
}
