package io.cozecdc.testing.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.cozecdc.testing.TestDb;
import io.cozecdc.testing.coze.FakeCoze;
import io.cozecdc.testing.coze.FakeDocument;

/**
 * What "nothing lost, nothing duplicated" means for a products configuration with fields
 * {@code [id, name, stock_quantity]}: every live row is exactly one done document with its latest
 * content, no document for a deleted row, no document nothing points to, and no dead letter.
 */
public final class ExactState {

    public static final String FIELDS = "[\"id\",\"name\",\"stock_quantity\"]";

    private ExactState() {
    }

    /** Creates, through the service's API, the products configuration this class describes; returns its id. */
    public static long createConfig(ServiceProcess service, String name, String dataset) {
        return ((Number) service.api().body("{\"name\":\"" + name + "\",\"tableName\":\"products\",\"datasetId\":\""
                + dataset + "\",\"fields\":" + FIELDS + "}").post("/api/v1/sync-configs").then().statusCode(201)
                .extract().path("id")).longValue();
    }

    /** The document text a product row must have. */
    public static String content(Map<String, Object> row) {
        return "id: " + row.get("id") + "\nname: " + row.get("name") + "\nstock_quantity: " + row.get("stock_quantity") + "\n";
    }

    /** Waits until the change log is drained, every document processed, every create intent settled and no failure is left (bounded). */
    public static void awaitDrained(TestDb db, Duration timeout) {
        try {
            awaitDrainedOrFail(db, timeout);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("not drained within " + timeout + ": " + summary(db), e);
        }
    }

    /** Counts that explain where the pipeline stands, for failure messages. */
    public static String summary(TestDb db) {
        return "pending=" + db.count("SELECT COUNT(*) FROM data_change_logs WHERE processed = 0")
                + " claimed=" + db.query("SELECT claimed_by, claim_expires_at, COUNT(*) n FROM data_change_logs WHERE processed = 0 "
                        + "GROUP BY claimed_by, claim_expires_at")
                + " coze_documents=" + db.query("SELECT state, state_reason, delete_attempts, COUNT(*) n FROM coze_documents "
                        + "GROUP BY state, state_reason, delete_attempts")
                + " failures=" + db.query("SELECT status, operation, error_code, error_message, attempts, next_attempt_at, claimed_by "
                        + "FROM sync_failures LIMIT 5")
                + " synced_live=" + db.count("SELECT COUNT(*) FROM synced_documents WHERE deleted = 0 AND document_id IS NOT NULL")
                + " synced_pending=" + db.query("SELECT record_key, document_id, pending_document_id, last_log_id, deleted FROM "
                        + "synced_documents WHERE document_id IS NULL OR pending_document_id IS NOT NULL LIMIT 5")
                + " open_intents=" + db.query("SELECT owner, lease_until, COUNT(*) n FROM create_intents GROUP BY owner, lease_until LIMIT 5")
                + " products=" + db.count("SELECT COUNT(*) FROM products")
                + " products_without_document=" + db.query("SELECT p.id FROM products p LEFT JOIN synced_documents s "
                        + "ON s.record_key = p.id AND s.deleted = 0 AND s.document_id IS NOT NULL WHERE s.record_key IS NULL LIMIT 5");
    }

    /**
     * Where Coze and the service's tables differ, for failure messages: the documents Coze holds that
     * no row maps to (with their ledger state), the mapped documents Coze does not hold, and the open
     * create intents.
     */
    public static String difference(TestDb db, FakeCoze coze, String dataset) {
        Map<String, String> mapped = new TreeMap<>();
        db.query("SELECT record_key, document_id FROM synced_documents WHERE deleted = 0 AND document_id IS NOT NULL")
                .forEach(r -> mapped.put((String) r.get("document_id"), (String) r.get("record_key")));
        List<FakeDocument> held = coze.documents(dataset);
        StringBuilder out = new StringBuilder("coze holds " + held.size() + ", mapped " + mapped.size() + ", products "
                + db.count("SELECT COUNT(*) FROM products"));
        held.stream().filter(d -> !mapped.containsKey(d.documentId())).limit(10).forEach(d -> out.append("\n  unmapped ")
                .append(d.documentId()).append(' ').append(d.name()).append(" status=").append(d.status())
                .append(" ledger=").append(db.query("SELECT state, state_reason, delete_attempts FROM coze_documents "
                        + "WHERE document_id = ?", d.documentId()))
                .append(" row=").append(db.query("SELECT record_key, document_id, pending_document_id, last_log_id, deleted "
                        + "FROM synced_documents WHERE record_key = ?", d.content().lines().findFirst().orElse("")
                                .replaceFirst("^id: ", ""))));
        java.util.Set<String> heldIds = new java.util.HashSet<>();
        held.forEach(d -> heldIds.add(d.documentId()));
        mapped.keySet().stream().filter(id -> !heldIds.contains(id)).limit(10)
                .forEach(id -> out.append("\n  missing ").append(id).append(" of row ").append(mapped.get(id)));
        out.append("\n  open intents ").append(db.query("SELECT record_key, log_id, document_name, created_at, owner, "
                + "lease_until FROM create_intents LIMIT 10"));
        return out.toString();
    }

    private static void awaitDrainedOrFail(TestDb db, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(250)).until(() ->
                db.count("SELECT COUNT(*) FROM data_change_logs WHERE processed = 0") == 0
                        && db.count("SELECT COUNT(*) FROM coze_documents WHERE state <> 'DONE'") == 0
                        && db.count("SELECT COUNT(*) FROM sync_failures") == 0
                        // an open create intent protects its document from reconciliation until it is settled
                        && db.count("SELECT COUNT(*) FROM create_intents") == 0
                        && db.count("SELECT COUNT(*) FROM synced_documents WHERE deleted = 0 AND document_id IS NOT NULL")
                                == db.count("SELECT COUNT(*) FROM products"));
    }

    /** Asserts the exact state (call after reconciliation). */
    public static void assertExact(TestDb db, FakeCoze coze, String dataset) {
        List<Map<String, Object>> rows = db.query("SELECT id, name, stock_quantity FROM products");
        Map<String, String> expected = new TreeMap<>();
        rows.forEach(r -> expected.put((String) r.get("id"), content(r)));
        Map<String, String> actual = new TreeMap<>();
        Map<String, Integer> copies = new HashMap<>();
        for (FakeDocument d : coze.documents(dataset)) {
            assertThat(d.status()).as("document %s", d.documentId()).isEqualTo(FakeDocument.DONE);
            String id = d.content().lines().findFirst().orElse("").replaceFirst("^id: ", "");
            actual.put(id, d.content());
            copies.merge(id, 1, Integer::sum);
        }
        assertThat(copies.entrySet()).as("rows with more than one document").allSatisfy(e -> assertThat(e.getValue()).isEqualTo(1));
        assertThat(actual.keySet()).as("rows with a document (deleted rows must have none)").containsExactlyElementsOf(expected.keySet());
        assertThat(actual).as("every document has its row's latest content").isEqualTo(expected);
        assertThat(db.count("SELECT COUNT(*) FROM sync_failures WHERE status = 'DEAD'")).as("dead letters").isZero();
        Map<String, String> mapped = new TreeMap<>();
        db.query("SELECT record_key, document_id FROM synced_documents WHERE deleted = 0 AND document_id IS NOT NULL")
                .forEach(r -> mapped.put((String) r.get("record_key"), (String) r.get("document_id")));
        assertThat(mapped.keySet()).as("mapped rows").containsExactlyElementsOf(expected.keySet());
        assertThat(coze.documents(dataset)).extracting(FakeDocument::documentId).as("every document is the mapped one")
                .containsExactlyInAnyOrderElementsOf(mapped.values());
    }
}
