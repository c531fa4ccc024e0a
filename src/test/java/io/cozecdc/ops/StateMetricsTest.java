package io.cozecdc.ops;

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
import io.vertx.mutiny.sqlclient.Pool;

import io.cozecdc.configs.ConfigRegistry;
import io.cozecdc.configs.ConfigStatus;
import io.cozecdc.configs.SyncConfig;
import io.cozecdc.configs.SyncConfigRepository;
import io.cozecdc.testing.InjectFakeCoze;
import io.cozecdc.testing.PipelineSupport;
import io.cozecdc.testing.Scrape;
import io.cozecdc.testing.coze.FakeCoze;

/** The metrics at /q/metrics after a known workload through the Coze fake. */
@QuarkusTest
class StateMetricsTest {

    private static final List<String> FIELDS = List.of("id", "name", "stock_quantity");
    @Inject
    ConfigRegistry registry;
    @Inject
    SyncConfigRepository configs;
    @Inject
    Pool pool;
    @Inject
    StateMetrics metrics;
    @InjectFakeCoze
    FakeCoze coze;

    @Inject
    PipelineSupport support;
    String dataset;

    @BeforeEach
    void setUp() {
        support.reset();
        dataset = coze.createDataset("metrics-kb");
    }

    @AfterEach
    void tearDown() {
        support.stop();
        coze.reset();
    }

    @Test
    void pendingCountAndOldestAgeFollowTheBacklog() {
        support.config("metrics", "products", dataset, FIELDS, null);
        for (int i = 0; i < 7; i++) {
            support.insertProduct("P" + i, "pending " + i, "1.00", null, i);
        }
        for (int i = 0; i < 3; i++) {
            support.db().update("INSERT INTO suppliers (id, name) VALUES (UUID(), ?)", "supplier " + i);
        }
        support.db().update("UPDATE data_change_logs SET created_at = created_at - INTERVAL 40 SECOND WHERE table_name = 'products'");
        refresh();

        Scrape before = Scrape.now();
        assertThat(before.value("cdc_pending_changes", Map.of("table", "products"))).isEqualTo(7.0);
        assertThat(before.value("cdc_pending_changes", Map.of("table", "suppliers"))).isEqualTo(3.0);
        assertThat(before.value("cdc_pending_changes", Map.of("table", "inventory_records"))).as("captured, nothing pending")
                .isEqualTo(0.0);
        assertThat(before.value("cdc_oldest_pending_age_seconds", Map.of("table", "products"))).isBetween(40.0, 120.0);
        assertThat(before.value("cdc_oldest_pending_age_seconds", Map.of("table", "suppliers"))).isBetween(0.0, 30.0);
        assertThat(before.value("cdc_oldest_pending_age_seconds", Map.of("table", "inventory_records"))).isEqualTo(0.0);

        support.start();
        awaitConverged();
        refresh();

        Scrape after = Scrape.now();
        assertThat(after.value("cdc_pending_changes", Map.of("table", "products"))).isEqualTo(0.0);
        assertThat(after.value("cdc_pending_changes", Map.of("table", "suppliers"))).isEqualTo(0.0);
        assertThat(after.value("cdc_oldest_pending_age_seconds", Map.of("table", "products"))).isEqualTo(0.0);
    }

    @Test
    void lagHistogramsCountEverySyncedChange() {
        support.config("lag", "products", dataset, FIELDS, null);
        Scrape before = Scrape.now();
        support.start();
        for (int i = 0; i < 12; i++) {
            support.insertProduct("L" + i, "lag " + i, "1.00", null, i);
        }
        awaitConverged();

        Scrape after = Scrape.now();
        assertThat(delta(before, after, "cdc_sync_lag_seconds_count", Map.of())).isEqualTo(12.0);
        assertThat(delta(before, after, "cdc_sync_ready_lag_seconds_count", Map.of())).isEqualTo(12.0);
        assertThat(delta(before, after, "cdc_sync_lag_seconds_bucket", Map.of("le", "+Inf"))).isEqualTo(12.0);
        assertThat(delta(before, after, "cdc_sync_lag_seconds_bucket", Map.of("le", "60.0")))
                .as("every change synced within a minute").isEqualTo(12.0);
        assertThat(delta(before, after, "cdc_changes_processed_total", Map.of("config", "lag", "outcome", "synced")))
                .isEqualTo(12.0);
        assertThat(after.value("cdc_batch_size_count", Map.of())).isPositive();
        assertThat(after.value("coze_requests_seconds_count", Map.of("endpoint", "create", "outcome", "success")))
                .isPositive();
        assertThat(after.value("cdc_last_poll_timestamp_seconds", Map.of())).isPositive();
    }

    @Test
    void failureAndStatusGaugesMatchTheDatabase() {
        SyncConfig config = support.config("poisoned", "products", dataset, FIELDS, null);
        SyncConfig paused = support.config("paused", "products", coze.createDataset("paused-kb"), FIELDS, null);
        configs.update(pool, new SyncConfig(paused.id(), paused.name(), paused.tableName(), paused.datasetId(), paused.fields(),
                null, false, ConfigStatus.PAUSED, "disabled", paused.createdAt(), paused.updatedAt()))
                .await().atMost(PipelineSupport.WAIT);
        registry.refresh().await().atMost(PipelineSupport.WAIT);
        coze.rejectContentContaining("POISON");
        support.start();
        for (int i = 0; i < 3; i++) {
            support.insertProduct("G" + i, "good " + i, "1.00", null, i);
        }
        support.insertProduct("B1", "POISON one", "1.00", null, 0);
        support.insertProduct("B2", "POISON two", "1.00", null, 0);
        await().atMost(PipelineSupport.WAIT).until(() -> support.pending() == 0
                && support.db().count("SELECT COUNT(*) FROM sync_failures WHERE status = 'DEAD'") == 2);
        refresh();

        Scrape scrape = Scrape.now();
        assertThat(scrape.value("cdc_sync_failures", Map.of("config", "poisoned", "status", "dead"))).isEqualTo(2.0);
        assertThat(scrape.value("cdc_sync_failures", Map.of("config", "poisoned", "status", "retrying"))).isEqualTo(0.0);
        assertThat(scrape.value("cdc_sync_failures", Map.of("config", "paused", "status", "dead"))).isEqualTo(0.0);
        assertThat(scrape.value("cdc_config_status", Map.of("config", "poisoned", "status", "ACTIVE"))).isEqualTo(1.0);
        assertThat(scrape.value("cdc_config_status", Map.of("config", "poisoned", "status", "ERROR"))).isEqualTo(0.0);
        assertThat(scrape.value("cdc_config_status", Map.of("config", "paused", "status", "PAUSED"))).isEqualTo(1.0);
        assertThat(scrape.value("cdc_config_status", Map.of("config", "paused", "status", "ACTIVE"))).isEqualTo(0.0);
        assertThat(config.id()).isNotEqualTo(paused.id());
    }

    @Test
    void documentsStillProcessingAreCountedPerConfig() {
        support.config("slow", "products", dataset, FIELDS, null);
        coze.processingDelay(Duration.ofSeconds(30));
        support.start();
        for (int i = 0; i < 4; i++) {
            support.insertProduct("S" + i, "slow " + i, "1.00", null, i);
        }
        await().atMost(PipelineSupport.WAIT).until(() -> support.pending() == 0
                && support.db().count("SELECT COUNT(*) FROM coze_documents WHERE state = 'PROCESSING'") == 4);
        refresh();

        assertThat(Scrape.now().value("cdc_documents_processing", Map.of("config", "slow"))).isEqualTo(4.0);
    }

    @Test
    void aDeletedConfigLeavesTheGauges() {
        SyncConfig gone = support.config("short-lived", "products", dataset, FIELDS, null);
        refresh();
        assertThat(Scrape.now().value("cdc_config_status", Map.of("config", "short-lived", "status", "ACTIVE"))).isEqualTo(1.0);

        support.db().update("DELETE FROM sync_configs WHERE id = ?", gone.id());
        refresh();

        assertThat(Scrape.now().value("cdc_config_status", Map.of("config", "short-lived"))).isNull();
        assertThat(Scrape.now().value("cdc_sync_failures", Map.of("config", "short-lived"))).isNull();
    }

    @Test
    void everyMetricTheAlertsAndTheDashboardUseIsExported() throws Exception {
        support.config("everything", "products", dataset, List.of("id", "name", "description"), null);
        // a configuration with a related table, whose supplier is renamed: cdc_fanout_jobs and cdc_fanout_documents_total
        String relatedDataset = coze.createDataset("everything-related-kb");
        support.relatedConfig("everything-related", "products", relatedDataset, List.of("id", "name"), List.of(new io.cozecdc.configs.Relation(
                "supplier", "suppliers", Map.of("supplier_id", "id"), List.of("name"), null, null, List.of())));
        String supplier = java.util.UUID.randomUUID().toString();
        support.db().update("INSERT INTO suppliers (id, name) VALUES (?, 'Everything Co')", supplier);
        coze.failProcessingContaining("FAILS-ONCE", "parse error");
        support.start();
        support.db().update("INSERT INTO products (id, sku, name, unit_price, supplier_id) VALUES (UUID(), 'E0', 'supplied', 1.00, ?)",
                supplier);
        await().atMost(PipelineSupport.WAIT).until(() -> support.pending() == 0);
        support.db().update("UPDATE suppliers SET name = 'Everything Renamed Co' WHERE id = ?", supplier);
        await().atMost(PipelineSupport.WAIT).until(() -> coze.documents(relatedDataset).stream()
                .anyMatch(d -> d.content().contains("Everything Renamed Co")));
        support.insertProduct("E1", "plain", "1.00", null, 1);
        String failing = support.insertProduct("E2", "FAILS-ONCE", "1.00", null, 1);
        String longRow = support.insertProduct("E3", "long", "1.00", null, 1);
        support.db().update("UPDATE products SET description = ? WHERE id = ?", "长描述".repeat(3000), longRow);
        await().atMost(PipelineSupport.WAIT).until(() -> support.db().count(
                "SELECT COUNT(*) FROM sync_failures WHERE record_key = ?", failing) > 0);
        coze.clearFaults();
        awaitConverged();
        refresh();

        java.util.Set<String> used = new java.util.TreeSet<>();
        for (String file : List.of("deploy/prometheus/cdc-alerts.rules.yaml", "deploy/grafana/coze-cdc-dashboard.json")) {
            var m = java.util.regex.Pattern.compile("\\b((?:cdc|coze)_[a-z_]+)\\b")
                    .matcher(java.nio.file.Files.readString(java.nio.file.Path.of(file)));
            while (m.find()) {
                used.add(m.group(1));
            }
        }
        assertThat(used).as("metric names in the alert rules and the dashboard").contains("cdc_pending_changes",
                "cdc_sync_lag_seconds_bucket", "coze_requests_seconds_count");
        Scrape scrape = Scrape.now();
        assertThat(used).allSatisfy(name -> assertThat(scrape.exports(name)).as("%s in /q/metrics", name).isTrue());
    }

    private void refresh() {
        metrics.refresh().await().atMost(PipelineSupport.WAIT);
    }

    private static double delta(Scrape before, Scrape after, String name, Map<String, String> labels) {
        return after.valueOrZero(name, labels) - before.valueOrZero(name, labels);
    }

    private void awaitConverged() {
        await().atMost(PipelineSupport.WAIT).pollInterval(Duration.ofMillis(100)).until(() ->
                support.pending() == 0
                        && support.db().count("SELECT COUNT(*) FROM coze_documents WHERE state <> 'DONE'") == 0
                        && support.db().count("SELECT COUNT(*) FROM sync_failures") == 0);
    }
}
