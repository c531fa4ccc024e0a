package io.cozecdc.sync;

import static io.cozecdc.testing.Api.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;

import io.cozecdc.configs.ConfigRegistry;
import io.cozecdc.configs.ConfigStatus;
import io.cozecdc.configs.Relation;
import io.cozecdc.configs.SyncConfig;
import io.cozecdc.configs.SyncConfigRepository;
import io.cozecdc.fanout.DependencyIndex;
import io.cozecdc.testing.InjectFakeCoze;
import io.cozecdc.testing.PipelineSupport;
import io.cozecdc.testing.Scrape;
import io.cozecdc.testing.coze.FakeCoze;
import io.cozecdc.testing.coze.FakeDocument;

/**
 * Issue 16, fan-out and consistency: a change of a related row re-renders exactly the documents that join
 * to it (by its new join values and, through the dependency index, its old ones), in chunks, through the
 * same version guard and hash skip; every delivery reads the parent and its related rows afresh with locking
 * reads, so open business transactions end with their committed result.
 *
 * <p>The configuration: products with their supplier (to-one, joined on the supplier's primary key) and
 * their five newest inventory records (to-many, joined on a plain column: needs the dependency index).
 */
@QuarkusTest
class RelatedFanoutTest {

    @InjectFakeCoze
    FakeCoze coze;
    @Inject
    PipelineSupport support;
    @Inject
    AgroalDataSource dataSource;
    @Inject
    SyncConfigRepository configs;
    @Inject
    ConfigRegistry registry;
    @Inject
    Pool pool;
    @Inject
    BatchProcessor batches;
    @Inject
    DependencyIndex dependencyIndex;
    @Inject
    io.cozecdc.fanout.FanoutWorker worker;
    @Inject
    io.cozecdc.fanout.FanoutRepository fanouts;
    @Inject
    io.cozecdc.ops.StateMetrics stateMetrics;
    String dataset;

    @BeforeEach
    void setUp() {
        support.reset();
        dataset = coze.createDataset("related-kb");
    }

    @AfterEach
    void tearDown() {
        support.stop();
    }

    @Test
    void renamingASupplierReRendersTheDocumentsOfItsProductsOnly() {
        SyncConfig config = productsWithRelations();
        String acme = supplier("Acme", "Shanghai");
        String other = supplier("Other", "Beijing");
        List<String> acmeProducts = new ArrayList<>();
        for (int i = 0; i < 45; i++) {
            acmeProducts.add(product("A-" + i, "acme product " + i, acme));
        }
        List<String> otherProducts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            otherProducts.add(product("O-" + i, "other product " + i, other));
        }
        support.start();
        awaitConverged();
        assertThat(byKey()).hasSize(50);
        assertThat(byKey().get(acmeProducts.get(0)).get(0).content()).contains("Acme").contains("Shanghai");
        long created = coze.documentsCreated();
        long before = support.db().count("SELECT COALESCE(MAX(id), 0) FROM data_change_logs");

        support.db().update("UPDATE suppliers SET name = 'Acme Renamed' WHERE id = ?", acme);
        awaitConverged();

        Map<String, List<FakeDocument>> docs = byKey();
        assertThat(docs).hasSize(50);
        acmeProducts.forEach(id -> assertThat(docs.get(id)).as("documents of %s", id).singleElement()
                .satisfies(d -> assertThat(d.content()).contains("Acme Renamed").contains("Shanghai")));
        otherProducts.forEach(id -> assertThat(docs.get(id)).singleElement()
                .satisfies(d -> assertThat(d.content()).contains("Other").doesNotContain("Acme")));
        assertThat(coze.documentsCreated() - created).as("documents created for the rename: the 45 products of Acme")
                .isEqualTo(45);
        // 45 keys with cdc.fanout.chunk-size 20 in the tests: 3 chunks, each key copied exactly once
        assertThat(support.db().count("SELECT COUNT(*) FROM data_change_logs WHERE id > ? AND operation_type = 'SNAPSHOT' "
                + "AND target_config_id = ?", before, config.id())).isEqualTo(45);
        assertThat(support.db().count("SELECT COUNT(DISTINCT record_uuid) FROM data_change_logs WHERE id > ? "
                + "AND operation_type = 'SNAPSHOT'", before)).isEqualTo(45);
    }

    @Test
    void aFanOutIsVisibleInTheApiAndTheMetricsUntilItHasQueuedEveryDocument() {
        SyncConfig config = productsWithRelations();
        String acme = supplier("Acme", "Shanghai");
        for (int i = 0; i < 45; i++) {
            product("P-" + i, "product " + i, acme);
        }
        support.start();
        awaitConverged();
        support.stop();
        Double queuedBefore = Scrape.now().value("cdc_fanout_documents_total", Map.of("config", "products-related"));

        support.db().update("UPDATE suppliers SET city = 'Ningbo' WHERE id = ?", acme);
        assertThat(batches.processBatch().await().atMost(PipelineSupport.WAIT)).isEqualTo(1);
        String path = "/api/v1/sync-configs/" + config.id();
        assertThat(api().get(path).then().statusCode(200).extract().jsonPath().getMap("fanout"))
                .isEqualTo(Map.of("jobs", 1, "documentsQueued", 0));
        stateMetrics.refresh().await().atMost(PipelineSupport.WAIT);
        assertThat(Scrape.now().value("cdc_fanout_jobs", Map.of("config", "products-related"))).isEqualTo(1.0);

        // one round runs the fan-out to its end: 45 keys, three chunks of at most 20
        worker.runDue().await().atMost(PipelineSupport.WAIT);
        assertThat(support.db().count("SELECT COUNT(*) FROM fanout_jobs")).isZero();
        assertThat(support.db().count("SELECT COUNT(*) FROM data_change_logs WHERE processed = 0 AND operation_type = 'SNAPSHOT' "
                + "AND target_config_id = ?", config.id())).isEqualTo(45);
        assertThat(api().get(path).then().statusCode(200).extract().jsonPath().getMap("fanout"))
                .isEqualTo(Map.of("jobs", 0, "documentsQueued", 0));
        stateMetrics.refresh().await().atMost(PipelineSupport.WAIT);
        assertThat(Scrape.now().value("cdc_fanout_jobs", Map.of("config", "products-related"))).isEqualTo(0.0);
        assertThat(Scrape.now().value("cdc_fanout_documents_total", Map.of("config", "products-related")))
                .isEqualTo((queuedBefore == null ? 0 : queuedBefore) + 45);

        support.start();
        awaitConverged();
        assertThat(byKey().values()).hasSize(45).allSatisfy(docs -> assertThat(docs).singleElement()
                .satisfies(d -> assertThat(d.content()).contains("Ningbo")));
    }

    /**
     * The index's pruning rule: a delivery of change L removes only the document's entries read by older
     * deliveries. A delivery that loses to a newer one (an older change delivered late, after the related row
     * moved away) must not take away the entry the newer, accepted document was rendered from: else the
     * row's next move would not find the document.
     */
    @Test
    void anOlderDeliveryNeverRemovesTheIndexEntriesOfANewerOne() {
        DependencyIndex.Dependency row = new DependencyIndex.Dependency("inventory_records", "r-1");
        record(Map.of("A", 200L), Map.of("A", List.of(row)));
        // change 100 of A delivered late: the row has moved away meanwhile, so its read did not see it
        record(Map.of("A", 100L), Map.of("A", List.of()));
        assertThat(entries()).as("entries after an older delivery").containsExactly("A<-inventory_records/r-1@200");
        // a newer delivery that read it again keeps it, with its id
        record(Map.of("A", 300L), Map.of("A", List.of(row)));
        assertThat(entries()).containsExactly("A<-inventory_records/r-1@300");
        // a newer delivery that no longer renders it removes it
        record(Map.of("A", 400L), Map.of("A", List.of()));
        assertThat(entries()).isEmpty();
    }

    private void record(Map<String, Long> changes, Map<String, List<DependencyIndex.Dependency>> reads) {
        pool.withTransaction(tx -> dependencyIndex.record(tx, 999_999L, changes, reads)).await().atMost(PipelineSupport.WAIT);
    }

    private List<String> entries() {
        return support.db().query("SELECT CAST(record_key AS CHAR) AS k, related_table, CAST(related_key AS CHAR) AS r, seen_log_id "
                + "FROM document_dependencies WHERE config_id = 999999").stream()
                .map(m -> m.get("k") + "<-" + m.get("related_table") + "/" + m.get("r") + "@" + m.get("seen_log_id")).toList();
    }

    @Test
    void readinessNamesARelatedTableWhoseTriggersAreMissing() {
        productsWithRelations();
        support.stop();
        support.db().execute("DROP TRIGGER IF EXISTS trigger_suppliers_update");

        io.restassured.path.json.JsonPath health = io.restassured.RestAssured.given().get("/q/health/ready").then().statusCode(503)
                .extract().jsonPath();
        List<Map<String, Object>> checks = health.getList("checks");
        assertThat(checks).filteredOn(c -> "cdc-triggers".equals(c.get("name"))).singleElement().satisfies(c -> {
            assertThat(c.get("status")).isEqualTo("DOWN");
            @SuppressWarnings("unchecked")
            Map<String, Object> data = (Map<String, Object>) c.get("data");
            assertThat(data.get("suppliers")).isNotNull().isNotEqualTo("installed");
            assertThat(data.get("inventory_records")).isEqualTo("installed");
            assertThat(data.get("products")).isEqualTo("installed");
        });
    }

    @Test
    void aProductMovedToAnotherSupplierIsRenderedWithItsNewSupplier() {
        productsWithRelations();
        String acme = supplier("Acme", "Shanghai");
        String zenith = supplier("Zenith", "Shenzhen");
        String moved = product("M-1", "moving product", acme);
        String stays = product("M-2", "staying product", acme);
        support.start();
        awaitConverged();

        support.db().update("UPDATE products SET supplier_id = ? WHERE id = ?", zenith, moved);
        awaitConverged();

        assertThat(byKey().get(moved)).singleElement()
                .satisfies(d -> assertThat(d.content()).contains("Zenith").contains("Shenzhen").doesNotContain("Acme"));
        assertThat(byKey().get(stays)).singleElement().satisfies(d -> assertThat(d.content()).contains("Acme"));
    }

    @Test
    void anInventoryRecordMovedToAnotherProductReRendersBothTheOldAndTheNewProduct() {
        productsWithRelations();
        String acme = supplier("Acme", "Shanghai");
        String first = product("I-1", "first product", acme);
        String second = product("I-2", "second product", acme);
        String record = inventory(first, "WH-MOVING", 7);
        inventory(second, "WH-SECOND", 3);
        support.start();
        awaitConverged();
        assertThat(byKey().get(first).get(0).content()).contains("WH-MOVING");
        assertThat(byKey().get(second).get(0).content()).doesNotContain("WH-MOVING");

        // the change-log row carries only NEW data (product_id = second): the first product is found by the index
        support.db().update("UPDATE inventory_records SET product_id = ? WHERE id = ?", second, record);
        awaitConverged();

        assertThat(byKey().get(first)).singleElement().satisfies(d -> assertThat(d.content()).doesNotContain("WH-MOVING"));
        assertThat(byKey().get(second)).singleElement()
                .satisfies(d -> assertThat(d.content()).contains("WH-MOVING").contains("WH-SECOND"));
    }

    @Test
    void deletingRelatedRowsRemovesThemFromTheDocuments() {
        productsWithRelations();
        String acme = supplier("Acme", "Shanghai");
        String product = product("D-1", "product", acme);
        String gone = inventory(product, "WH-GONE", 1);
        inventory(product, "WH-KEPT", 2);
        support.start();
        awaitConverged();
        assertThat(byKey().get(product).get(0).content()).contains("WH-GONE").contains("Acme");

        support.db().update("DELETE FROM inventory_records WHERE id = ?", gone);
        support.db().update("DELETE FROM suppliers WHERE id = ?", acme);
        awaitConverged();

        assertThat(byKey().get(product)).singleElement().satisfies(d -> assertThat(d.content())
                .contains("WH-KEPT").doesNotContain("WH-GONE").doesNotContain("Acme").doesNotContain("Shanghai"));
    }

    @Test
    void aRelatedChangeOfAColumnNoDocumentRendersMakesNoCozeCall() {
        productsWithRelations();
        String acme = supplier("Acme", "Shanghai");
        for (int i = 0; i < 10; i++) {
            product("U-" + i, "product " + i, acme);
        }
        support.start();
        awaitConverged();
        long created = coze.documentsCreated();
        int calls = coze.requestCount(FakeCoze.Endpoint.CREATE);
        long snapshots = snapshotRows();

        // payment_terms is not in the relation's fields
        support.db().update("UPDATE suppliers SET payment_terms = 'net 90' WHERE id = ?", acme);
        await().atMost(PipelineSupport.WAIT).until(() -> snapshotRows() == snapshots + 10);
        awaitConverged();

        assertThat(coze.documentsCreated()).as("documents created").isEqualTo(created);
        assertThat(coze.requestCount(FakeCoze.Endpoint.CREATE)).as("create calls").isEqualTo(calls);
    }

    /**
     * The resync hazard of the version-guard review (finding 1), through a fan-out: a business transaction
     * updates one product, deletes another and changes their supplier's city (the products' change-log rows
     * have their ids), while inventory records of both products are inserted on their own, so their fan-out
     * queues SNAPSHOT rows for both products (newer ids) while the transaction is open, and a third product of
     * the supplier is updated on its own. Every delivery that reads those rows waits for the transaction and
     * renders its committed result: without the locking reads, the SNAPSHOT rows would be rendered from the old
     * state, win over the transaction's own changes, and bring the deleted product back.
     */
    @Test
    void rowsWrittenInAnOpenTransactionWhileTheirDocumentsAreDeliveredEndWithTheCommittedResult() throws Exception {
        productsWithRelations();
        String acme = supplier("Acme", "Shanghai");
        String updated = product("T-1", "name before", acme);
        String deleted = product("T-2", "deleted in tx", acme);
        String alone = product("T-3", "alone before", acme);
        support.start();
        awaitConverged();

        try (Connection tx = dataSource.getConnection()) {
            tx.setAutoCommit(false);
            execute(tx, "UPDATE products SET name = 'name after' WHERE id = ?", updated);
            execute(tx, "DELETE FROM products WHERE id = ?", deleted);
            execute(tx, "UPDATE suppliers SET city = 'Hangzhou' WHERE id = ?", acme);
            inventory(updated, "WH-TX-1", 1);
            inventory(deleted, "WH-TX-2", 1);
            support.db().update("UPDATE products SET name = 'alone after' WHERE id = ?", alone);
            await().atMost(PipelineSupport.WAIT).until(() -> support.db().count("SELECT COUNT(*) FROM data_change_logs "
                    + "WHERE operation_type = 'SNAPSHOT' AND record_uuid IN (?, ?)", updated, deleted) == 2);
            // give the poller time to claim them and reach the locked rows while the transaction is open: every
            // committed change claimed, no fan-out waiting, and a delivery's locking read waiting for the transaction
            // (or, were deliveries not to wait, everything delivered meanwhile: the checks below judge that)
            await().atMost(PipelineSupport.WAIT).pollInterval(Duration.ofMillis(50)).until(() ->
                    support.db().count("SELECT COUNT(*) FROM data_change_logs WHERE processed = 0 AND claimed_by IS NULL") == 0
                            && support.db().count("SELECT COUNT(*) FROM fanout_jobs") == 0
                            && (aDeliveryWaitsForALock() || support.pending() == 0));
            tx.commit();
        }
        awaitConverged();

        Map<String, List<FakeDocument>> docs = byKey();
        assertThat(docs.keySet()).as("documents by product").containsExactlyInAnyOrder(updated, alone);
        assertThat(docs.get(updated)).singleElement()
                .satisfies(d -> assertThat(d.content()).contains("name after").contains("Hangzhou").contains("WH-TX-1"));
        assertThat(docs.get(alone)).singleElement()
                .satisfies(d -> assertThat(d.content()).contains("alone after").contains("Hangzhou"));
    }

    /**
     * A nested path (inventory record → its product → the product's supplier): renaming the supplier
     * re-renders the records of its products through the chained join, a product moving to another
     * supplier re-renders that product's records, and a renamed product its own records; nothing else.
     */
    @Test
    void aChangeTwoLevelsDownReRendersTheDocumentsThatReachItThroughTheChain() {
        Relation supplier = new Relation("supplier", "suppliers", Map.of("supplier_id", "id"), List.of("name"), null, null,
                List.of());
        Relation product = new Relation("product", "products", Map.of("product_id", "id"), List.of("name", "sku"), null, null,
                List.of(supplier));
        support.relatedConfig("records-related", "inventory_records", dataset, List.of("id", "warehouse", "quantity"),
                List.of(product));
        String acme = supplier("Acme", "Shanghai");
        String other = supplier("Other", "Beijing");
        String pa = product("PA", "acme widget", acme);
        String pb = product("PB", "other widget", other);
        List<String> ofPa = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ofPa.add(inventory(pa, "WH-" + i, i + 1));
        }
        List<String> ofPb = List.of(inventory(pb, "WH-B1", 7), inventory(pb, "WH-B2", 8));
        support.start();
        awaitConverged();
        assertThat(byKey()).hasSize(8);
        assertThat(byKey().get(ofPa.get(0)).get(0).content()).contains("acme widget").contains("Acme");

        long created = coze.documentsCreated();
        support.db().update("UPDATE suppliers SET name = 'Acme Renamed' WHERE id = ?", acme);
        awaitConverged();
        Map<String, List<FakeDocument>> docs = byKey();
        ofPa.forEach(id -> assertThat(docs.get(id)).as("record %s of the renamed supplier's product", id).singleElement()
                .satisfies(d -> assertThat(d.content()).contains("Acme Renamed").contains("acme widget")));
        ofPb.forEach(id -> assertThat(docs.get(id)).singleElement()
                .satisfies(d -> assertThat(d.content()).contains("Other").doesNotContain("Acme")));
        assertThat(coze.documentsCreated() - created).as("documents created for the supplier's rename").isEqualTo(6);

        created = coze.documentsCreated();
        support.db().update("UPDATE products SET supplier_id = ? WHERE id = ?", acme, pb);
        awaitConverged();
        Map<String, List<FakeDocument>> moved = byKey();
        ofPb.forEach(id -> assertThat(moved.get(id)).as("record %s of the product that moved", id).singleElement()
                .satisfies(d -> assertThat(d.content()).contains("Acme Renamed").doesNotContain("Other")));
        assertThat(coze.documentsCreated() - created).as("documents created for the product's move").isEqualTo(2);

        created = coze.documentsCreated();
        support.db().update("UPDATE products SET name = 'acme gadget' WHERE id = ?", pa);
        awaitConverged();
        Map<String, List<FakeDocument>> renamed = byKey();
        ofPa.forEach(id -> assertThat(renamed.get(id)).singleElement()
                .satisfies(d -> assertThat(d.content()).contains("acme gadget").doesNotContain("acme widget")));
        assertThat(coze.documentsCreated() - created).as("documents created for the product's rename").isEqualTo(6);
        assertThat(renamed).hasSize(8);
    }

    /**
     * A fan-out created for a configuration this replica's registry has not heard of yet (created or given
     * its relation through another replica a moment ago) is run, not dropped as "gone".
     */
    @Test
    void aFanOutOfAConfigurationThisReplicaHasNotHeardOfYetRuns() {
        String acme = supplier("Acme", "Shanghai");
        List<String> products = List.of(product("N-1", "new one", acme), product("N-2", "new two", acme));
        Instant now = Instant.now();
        SyncConfig config = configs.insert(pool, new SyncConfig(0, "unheard-of", "products", Long.parseLong(dataset),
                List.of("id", "name"), null, true, ConfigStatus.ACTIVE, null, now, now, List.of(new Relation("supplier",
                        "suppliers", Map.of("supplier_id", "id"), List.of("name"), null, null, List.of()))))
                .await().atMost(PipelineSupport.WAIT);
        var values = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("id", acme);
        io.vertx.mutiny.sqlclient.SqlClient client = pool;
        fanouts.enqueue(client, List.of(new io.cozecdc.fanout.FanoutJob.New(config.id(), "supplier", "suppliers", acme, values, 1)))
                .await().atMost(PipelineSupport.WAIT);
        assertThat(registry.byId(config.id())).as("this replica has not heard of the configuration yet").isEmpty();

        worker.runDue().await().atMost(PipelineSupport.WAIT);

        assertThat(support.db().count("SELECT COUNT(*) FROM data_change_logs WHERE operation_type = 'SNAPSHOT' "
                + "AND target_config_id = ?", config.id())).isEqualTo(products.size());
        assertThat(support.db().count("SELECT COUNT(*) FROM fanout_jobs")).isZero();
    }

    private SyncConfig productsWithRelations() {
        List<Relation> related = List.of(
                new Relation("supplier", "suppliers", Map.of("supplier_id", "id"), List.of("name", "city"), null, null, List.of()),
                new Relation("movements", "inventory_records", Map.of("id", "product_id"), List.of("warehouse", "quantity"),
                        "recorded_at DESC", 5, List.of()));
        Instant now = Instant.now();
        SyncConfig config = new SyncConfig(0, "products-related", "products", Long.parseLong(dataset), List.of("id", "name", "sku"),
                null, true, ConfigStatus.ACTIVE, null, now, now, related);
        SyncConfig saved = configs.insert(pool, config).await().atMost(PipelineSupport.WAIT);
        registry.refresh().await().atMost(PipelineSupport.WAIT);
        return saved;
    }

    private String supplier(String name, String city) {
        String id = UUID.randomUUID().toString();
        support.db().update("INSERT INTO suppliers (id, name, city, payment_terms) VALUES (?, ?, ?, 'net 30')", id, name, city);
        return id;
    }

    private String product(String sku, String name, String supplierId) {
        String id = UUID.randomUUID().toString();
        support.db().update("INSERT INTO products (id, sku, name, unit_price, supplier_id) VALUES (?, ?, ?, 1.00, ?)",
                id, sku, name, supplierId);
        return id;
    }

    private String inventory(String productId, String warehouse, int quantity) {
        String id = UUID.randomUUID().toString();
        support.db().update("INSERT INTO inventory_records (id, product_id, warehouse, change_type, quantity) VALUES (?, ?, ?, 'IN', ?)",
                id, productId, warehouse, quantity);
        return id;
    }

    private long snapshotRows() {
        return support.db().count("SELECT COUNT(*) FROM data_change_logs WHERE operation_type = 'SNAPSHOT'");
    }

    /** A delivery's locking read (RelatedLoader's LOCK IN SHARE MODE) waits for a row lock. */
    private boolean aDeliveryWaitsForALock() {
        return support.db().count("SELECT COUNT(*) FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT' "
                + "AND trx_query LIKE '%LOCK IN SHARE MODE%'") > 0;
    }

    private Map<String, List<FakeDocument>> byKey() {
        return new LinkedHashMap<>(support.documentsByKey(dataset, "id"));
    }

    private static void execute(Connection tx, String sql, String id) throws Exception {
        try (PreparedStatement statement = tx.prepareStatement(sql)) {
            statement.setString(1, id);
            statement.executeUpdate();
        }
    }

    /** Nothing pending, no fan-out left, every document processed, no failure. */
    private void awaitConverged() {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() ->
                support.pending() == 0
                        && support.db().count("SELECT COUNT(*) FROM fanout_jobs") == 0
                        && support.db().count("SELECT COUNT(*) FROM coze_documents WHERE state <> 'DONE'") == 0
                        && support.db().count("SELECT COUNT(*) FROM sync_failures") == 0);
    }
}
