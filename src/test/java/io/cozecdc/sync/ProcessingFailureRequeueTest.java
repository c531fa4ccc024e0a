package io.cozecdc.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import io.cozecdc.configs.SyncConfig;
import io.cozecdc.configs.SyncConfigRepository;
import io.cozecdc.failures.FailureCodes;
import io.cozecdc.sync.documents.LedgerDocument;
import io.cozecdc.sync.documents.LedgerRepository;
import io.cozecdc.sync.documents.LedgerState;
import io.cozecdc.testing.Api;
import io.cozecdc.testing.InjectFakeCoze;
import io.cozecdc.testing.PipelineSupport;
import io.cozecdc.testing.coze.FakeCoze;
import io.cozecdc.testing.coze.FakeDocument;
import io.cozecdc.testing.coze.FakeEvent;

/** A document Coze fails to process is uploaded again with the record's newest content, for as long as it takes. */
@QuarkusTest
class ProcessingFailureRequeueTest {

    private static final List<String> FIELDS = List.of("id", "name", "stock_quantity");

    @InjectFakeCoze
    FakeCoze coze;
    @Inject
    SyncCommitter committer;
    @Inject
    LedgerRepository ledger;
    @Inject
    SyncConfigRepository configs;
    @Inject
    PipelineSupport support;
    String dataset;

    @BeforeEach
    void setUp() {
        support.reset();
        dataset = coze.createDataset("requeue-kb");
        support.config("requeue", "products", dataset, FIELDS, null);
    }

    @AfterEach
    void tearDown() {
        support.stop();
        coze.reset();
    }

    /**
     * Review finding 2: a change of a column the config does not render (price) arrives while the
     * replacement carrying 'second' is processing; it raises the record's guard without a call. Coze
     * then fails the replacement: the retry must go out under the newest change, not be judged stale.
     */
    @Test
    void aReplacementThatFailsProcessingAfterAnUnrenderedChangeIsUploadedAgain() {
        coze.failProcessingContaining("name: second", "parsing failed");
        support.start();
        String id = support.insertProduct("R1", "first", "1.00", null, 1);
        awaitConverged();

        // the replacement processes until the test ends it: the price change goes through meanwhile
        coze.processingDelay(Duration.ofMinutes(10));
        support.db().update("UPDATE products SET name = 'second' WHERE id = ?", id);
        await().atMost(PipelineSupport.WAIT).until(() ->
                support.db().count("SELECT COUNT(*) FROM coze_documents WHERE state = 'PROCESSING'") == 1);
        support.db().update("UPDATE products SET unit_price = 9.99 WHERE id = ?", id);
        await().atMost(PipelineSupport.WAIT).until(() -> support.pending() == 0);
        assertThat(support.db().count("SELECT COUNT(*) FROM coze_documents WHERE state = 'PROCESSING'"))
                .as("the price change made no call: the replacement is still the one processing").isEqualTo(1);
        // the fake decides a document's fate when it is created: Coze fails this one now, and then heals
        assertThat(coze.finishProcessing()).isEqualTo(1);
        assertThat(coze.events()).anyMatch(e -> e.type() == FakeEvent.Type.FAILED);
        coze.clearFaults();
        awaitConverged();

        assertThat(coze.documents(dataset)).singleElement().satisfies(d -> {
            assertThat(d.content()).contains("name: second\n");
            assertThat(d.status()).isEqualTo(FakeDocument.DONE);
        });
    }

    /**
     * Review finding 6: after the first processing failure the change log loses the change (cleaned after
     * the retention, here at once) while its upload keeps failing processing. Every failure counts one attempt up to
     * cdc.retry.max-attempts (4 in tests), the stored payload stays, and a replay delivers the row.
     */
    @Test
    void aRetryWhoseChangeLogRowIsGoneKeepsItsPayloadAndCountsEveryAttempt() {
        coze.processingDelay(Duration.ofMillis(300)).failProcessingContaining("BROKEN", "unsupported characters");
        support.start();
        String id = support.insertProduct("G1", "BROKEN row", "1.00", null, 1);
        // the first failure stores the change's payload in the retry queue; then the change log loses the row
        await().atMost(PipelineSupport.WAIT).pollInterval(Duration.ofMillis(10)).until(() ->
                support.db().count("SELECT COUNT(*) FROM sync_failures WHERE attempts = 1") == 1);
        support.db().update("DELETE FROM data_change_logs WHERE record_uuid = ?", id);

        await().atMost(Duration.ofSeconds(90)).until(() ->
                support.db().count("SELECT COUNT(*) FROM sync_failures WHERE status = 'DEAD'") == 1);
        Map<String, Object> dead = support.db().query("SELECT * FROM sync_failures").get(0);
        assertThat(dead.get("attempts")).as("attempts").isEqualTo(4);
        assertThat(dead.get("payload")).as("payload").isNotNull();
        assertThat((String) dead.get("error_message")).contains("unsupported characters").doesNotContain("resync");
        assertThat(coze.events()).filteredOn(e -> e.type() == FakeEvent.Type.FAILED).hasSize(4);

        coze.clearFaults();
        Api.api().post("/api/v1/failures/" + dead.get("id") + "/retry").then().statusCode(200);
        awaitConverged();
        assertThat(coze.documents(dataset)).singleElement().satisfies(d -> {
            assertThat(d.content()).contains("id: " + id + "\n").contains("name: BROKEN row\n");
            assertThat(d.status()).isEqualTo(FakeDocument.DONE);
        });
    }

    /**
     * Review finding 10: Coze's reason is longer than the columns it goes to (state_reason 1000,
     * error_message 2000 characters). The failure is recorded (in the same transaction as the failed
     * document's state_reason) with the reason cut and marked, by characters, instead of the whole write
     * being refused by strict mode and the document checked again every second forever.
     */
    @Test
    void aCozeReasonLongerThanItsColumnsIsStoredCutWithAMark() {
        String reason = "bad chunk 😀 ".repeat(300); // 3600 characters
        coze.processingDelay(Duration.ofMillis(200)).failProcessingContaining("LONG", reason);
        support.start();
        support.insertProduct("L1", "LONG reason", "1.00", null, 1);

        await().atMost(Duration.ofSeconds(30)).until(() ->
                support.db().count("SELECT COUNT(*) FROM sync_failures WHERE attempts >= 1") == 1);
        String message = (String) support.db().scalar("SELECT error_message FROM sync_failures");
        assertThat(message).startsWith("Coze could not process the document: bad chunk").endsWith("…");
        assertThat(message.codePointCount(0, message.length())).isEqualTo(2000);
    }

    /**
     * Review finding 9: a replica whose progress answer is older reports a failure for a document that
     * another replica has promoted meanwhile. The live document must stay (not OBSOLETE, not deleted).
     */
    @Test
    void aFailureReportedForADocumentPromotedMeanwhileLeavesItLive() {
        SyncConfig config = configs.findByName("requeue").await().atMost(PipelineSupport.WAIT);
        support.start();
        String id = support.insertProduct("P9", "promoted", "1.00", null, 1);
        awaitConverged();
        support.stop();
        String live = (String) support.db().scalar("SELECT document_id FROM synced_documents WHERE record_key = ?", id);
        LedgerDocument doc = ledger.find(ledger.pool(), live).await().atMost(PipelineSupport.WAIT);
        assertThat(doc.state()).isEqualTo(LedgerState.DONE);

        List<String> toDelete = committer.processingFailed(config, doc, FailureCodes.PROCESSING_TIMEOUT, "late answer")
                .await().atMost(PipelineSupport.WAIT);

        assertThat(toDelete).isEmpty();
        assertThat(support.db().scalar("SELECT state FROM coze_documents WHERE document_id = ?", live)).isEqualTo("DONE");
        assertThat(support.db().scalar("SELECT document_id FROM synced_documents WHERE record_key = ?", id)).isEqualTo(live);
        assertThat(support.db().count("SELECT COUNT(*) FROM sync_failures")).isZero();
    }

    private void awaitConverged() {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() ->
                support.pending() == 0
                        && support.db().count("SELECT COUNT(*) FROM coze_documents WHERE state <> 'DONE'") == 0
                        && support.db().count("SELECT COUNT(*) FROM sync_failures") == 0);
    }
}
