package io.cozecdc.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import io.cozecdc.common.InstanceId;
import io.cozecdc.common.RuntimeSettings;
import io.cozecdc.configs.ConfigRegistry;
import io.cozecdc.configs.SyncConfigRepository;
import io.cozecdc.testing.InjectFakeCoze;
import io.cozecdc.testing.LogCapture;
import io.cozecdc.testing.PipelineSupport;
import io.cozecdc.testing.coze.FakeCoze;
import io.cozecdc.testing.coze.FakeDocument;

/** Changes flow from the triggers through the pipeline into the (fake) Coze dataset and converge. */
@QuarkusTest
class SyncPipelineTest {

    @Inject
    io.cozecdc.fanout.FanoutRepository fanouts;
    @Inject
    ConfigRegistry registry;
    @Inject
    SyncConfigRepository configs;
    @Inject
    io.cozecdc.common.JobRounds rounds;
    @Inject
    io.cozecdc.common.JobSettings jobSettings;
    @Inject
    io.cozecdc.changelog.ChangeLogRepository changeLog;
    @Inject
    ConfigDelivery configSync;
    @Inject
    SyncSettings settings;
    @Inject
    InstanceId instance;
    @Inject
    SyncMetrics metrics;
    @Inject
    Messages messages;
    @Inject
    LeaseKeeper leases;
    @InjectFakeCoze
    FakeCoze coze;

    @Inject
    PipelineSupport support;
    String dataset;

    @BeforeEach
    void setUp() {
        support.reset();
        dataset = coze.createDataset("products-kb");
    }

    @AfterEach
    void tearDown() {
        support.stop();
    }

    @Test
    void insertsUpdatesAndDeletesConvergeToOneDocumentPerLiveRow() {
        support.config("products-public", "products", dataset, List.of("id", "sku", "name", "unit_price", "stock_quantity"), null);
        support.start();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            ids.add(support.insertProduct("SKU-" + i, "产品 " + i, "10.00", "6.50", i));
        }
        for (int i = 0; i < 120; i += 3) {
            support.db().update("UPDATE products SET stock_quantity = stock_quantity + 1000 WHERE id = ?", ids.get(i));
        }
        for (int i = 1; i < 120; i += 5) {
            support.db().update("DELETE FROM products WHERE id = ?", ids.get(i));
        }

        awaitConverged();

        Map<String, List<FakeDocument>> byKey = support.documentsByKey(dataset, "id");
        List<Map<String, Object>> live = support.db().query("SELECT id, sku, name, unit_price, stock_quantity FROM products");
        assertThat(byKey.keySet()).containsExactlyInAnyOrderElementsOf(live.stream().map(r -> (String) r.get("id")).toList());
        for (Map<String, Object> row : live) {
            List<FakeDocument> docs = byKey.get(row.get("id"));
            assertThat(docs).as("documents of %s", row.get("id")).hasSize(1);
            FakeDocument doc = docs.get(0);
            assertThat(doc.status()).isEqualTo(FakeDocument.DONE);
            assertThat(doc.content()).isEqualTo("id: " + row.get("id") + "\nsku: " + row.get("sku") + "\nname: "
                    + row.get("name") + "\nunit_price: " + row.get("unit_price") + "\nstock_quantity: "
                    + row.get("stock_quantity") + "\n");
            assertThat(doc.content()).doesNotContain("cost_price");
        }
    }

    @Test
    void anUpdateOfOnlyFilteredOutColumnsMakesNoCozeCall() {
        support.config("products-public", "products", dataset, List.of("id", "name", "unit_price"), null);
        support.start();
        String id = support.insertProduct("SKU-X", "Widget", "5.00", "2.00", 1);
        awaitConverged();
        int creates = coze.requestCount(FakeCoze.Endpoint.CREATE);
        int deletes = coze.requestCount(FakeCoze.Endpoint.DELETE);

        try (LogCapture log = LogCapture.of("io.cozecdc.sync")) {
            support.db().update("UPDATE products SET cost_price = 2.50, stock_quantity = 7 WHERE id = ?", id);
            awaitConverged();
            // the batch line says nothing was sent, rather than "success: 1/1"
            await().atMost(PipelineSupport.WAIT).until(() -> !log.containing("Config products-public sync complete").isEmpty());
            assertThat(log.containing("Config products-public sync complete"))
                    .allSatisfy(line -> assertThat(line).endsWith("sent: 0, unchanged: 1, failed: 0, of 1"));
        }

        assertThat(coze.requestCount(FakeCoze.Endpoint.CREATE)).isEqualTo(creates);
        assertThat(coze.requestCount(FakeCoze.Endpoint.DELETE)).isEqualTo(deletes);
        assertThat(support.db().count("SELECT COUNT(*) FROM data_change_logs WHERE processed = 1")).isEqualTo(2);
    }

    @Test
    void rowsThatFailToRenderAreLoggedOnceWithTheReasonAndCountedAsFailed() {
        // a template naming a field the row does not get; the API refuses it now, but a config stored before still has it
        support.config("bad-template", "products", dataset, List.of("id", "name"), "{name} costs {cost_price}");
        support.insertProduct("R-1", "first", "1.00", "0.50", 1);
        support.insertProduct("R-2", "second", "1.00", "0.50", 1);
        try (LogCapture log = LogCapture.of("io.cozecdc.sync")) {
            support.start();
            await().atMost(PipelineSupport.WAIT).until(() -> !log.containing("Config bad-template sync complete").isEmpty());
            List<LogCapture.Line> warnings = log.lines().stream()
                    .filter(l -> l.level().intValue() == java.util.logging.Level.WARNING.intValue() && l.message().contains("could not be rendered")).toList();
            assertThat(warnings).hasSize(1);
            assertThat(warnings.get(0).message()).contains("Config 'bad-template': 2 of 2 rows could not be rendered")
                    .contains("cost_price");
            assertThat(log.containing("Config bad-template sync complete"))
                    .containsExactly(log.containing("Config bad-template sync complete").get(0))
                    .allSatisfy(line -> assertThat(line).endsWith("sent: 0, unchanged: 0, failed: 2, of 2"));
        }
        assertThat(coze.documents(dataset)).isEmpty();
    }

    @Test
    void theBatchLineCountsSentUnchangedAndFailedInChineseToo() {
        RuntimeSettings chinese = new RuntimeSettings() {
            public Optional<String> instanceId() {
                return Optional.empty();
            }

            public boolean startPaused() {
                return false;
            }

            public String logLanguage() {
                return "zh-CN";
            }
        };
        Messages zh = new Messages(chinese);
        assertThat(zh.configDone("b1", "demo", 3, 1, 2, 0)).isEqualTo("[批次 b1] 配置 demo 同步完成，成功: 3，未变: 1，失败: 2，共 6 条");
        assertThat(zh.configDone("b1", "demo", 0, 0, 0, 4)).isEqualTo("[批次 b1] 配置 demo 同步完成，成功: 0，未变: 0，失败: 0，暂缓: 4，共 4 条");
        assertThat(messages.configDone("b1", "demo", 3, 1, 2, 0))
                .isEqualTo("[batch b1] Config demo sync complete, sent: 3, unchanged: 1, failed: 2, of 6");
    }

    @Test
    void tenUpdatesOfOneRowInOneBatchMakeOneCreate() {
        support.config("products-all", "products", dataset, List.of(), null);
        String id = support.insertProduct("SKU-Y", "Gadget", "1.00", null, 0);
        for (int i = 1; i <= 10; i++) {
            support.db().update("UPDATE products SET stock_quantity = ? WHERE id = ?", i, id);
        }
        assertThat(support.pending()).isEqualTo(11);

        support.start();
        awaitConverged();

        assertThat(coze.requestCount(FakeCoze.Endpoint.CREATE)).isEqualTo(1);
        assertThat(coze.documents(dataset)).singleElement()
                .satisfies(d -> assertThat(d.content()).contains("stock_quantity: 10\n").contains("cost_price: \n"));
    }

    @Test
    void changesOfATableWithoutConfigAreMarkedProcessedWithoutCalls() {
        support.start();
        support.insertProduct("SKU-Z", "Orphan", "1.00", null, 0);
        await().atMost(PipelineSupport.WAIT).until(() -> support.pending() == 0);
        assertThat(coze.requests()).isEmpty();
    }

    @Test
    void aFullBacklogIsWorkedOnInTwoBatchesAtOnce() {
        support.config("products-public", "products", dataset, List.of("id", "name"), null);
        for (int i = 0; i < 250; i++) {
            support.insertProduct("SKU-P" + i, "Parallel " + i, "1.00", null, i);
        }
        coze.latency(FakeCoze.Endpoint.CREATE, java.time.Duration.ofMillis(400));
        support.start();

        // two claim tokens hold unprocessed rows at the same moment: two batches are in flight
        await().atMost(PipelineSupport.WAIT).pollInterval(java.time.Duration.ofMillis(20)).until(() -> support.db().count(
                "SELECT COUNT(DISTINCT claimed_by) FROM data_change_logs WHERE processed = 0 AND claimed_by IS NOT NULL") >= 2);
        awaitConverged();
        assertThat(coze.documents(dataset)).hasSize(250);
    }

    @Test
    void replacedDocumentsOfOneProgressCheckAreDeletedInOneCall() {
        support.config("products-public", "products", dataset, List.of("id", "name", "stock_quantity"), null);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ids.add(support.insertProduct("SKU-R" + i, "Replaced " + i, "1.00", null, i));
        }
        support.start();
        awaitConverged();
        int deletes = coze.requestCount(FakeCoze.Endpoint.DELETE);
        int progressChecks = coze.requestCount(FakeCoze.Endpoint.PROCESS);

        // written while the jobs are paused, so one claim takes all 30 changes
        support.stop();
        support.db().update("UPDATE products SET stock_quantity = stock_quantity + 100");
        support.start();
        awaitConverged();

        assertThat(coze.documents(dataset)).hasSize(30).allSatisfy(d -> assertThat(d.content()).contains("stock_quantity: 1"));
        // 30 replaced documents: at most one delete call per progress check that promoted some of them
        // (usually one; two when the 30 new documents finish either side of a check), never one per document
        int deleteCalls = coze.requestCount(FakeCoze.Endpoint.DELETE) - deletes;
        assertThat(deleteCalls).isBetween(1, coze.requestCount(FakeCoze.Endpoint.PROCESS) - progressChecks);
        assertThat(deleteCalls).isLessThan(30);
    }

    @Test
    void nothingIsClaimedBeforeTheConfigurationsHaveBeenRead() {
        support.config("products-public", "products", dataset, List.of("id", "name"), null);
        support.insertProduct("SKU-S", "Early", "1.00", null, 1);
        // a registry as it is at startup, before its first read of sync_configs
        ConfigRegistry unread = new ConfigRegistry(configs, rounds, jobSettings);
        BatchProcessor early = new BatchProcessor(changeLog, unread, configSync, settings, instance, metrics, messages,
                leases, java.time.Clock.systemUTC(), fanouts);

        assertThat(early.processBatch().await().atMost(PipelineSupport.WAIT)).isZero();
        assertThat(support.db().count("SELECT COUNT(*) FROM data_change_logs WHERE processed = 0 AND claimed_by IS NULL"))
                .as("the change is neither claimed nor marked processed").isEqualTo(1);

        unread.refresh().await().atMost(PipelineSupport.WAIT);
        assertThat(early.processBatch().await().atMost(PipelineSupport.WAIT)).isEqualTo(1);
        assertThat(coze.documents(dataset)).singleElement().satisfies(d -> assertThat(d.content()).contains("name: Early"));
    }

    private void awaitConverged() {
        await().atMost(PipelineSupport.WAIT).pollInterval(java.time.Duration.ofMillis(100)).until(() ->
                support.pending() == 0
                        && support.db().count("SELECT COUNT(*) FROM coze_documents WHERE state <> 'DONE'") == 0
                        && support.db().count("SELECT COUNT(*) FROM sync_failures") == 0);
    }
}
