package io.cozecdc.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;
import io.vertx.mutiny.sqlclient.Pool;

import io.cozecdc.capture.CaptureStatus;
import io.cozecdc.capture.TriggerService;
import io.cozecdc.capture.TriggerState;
import io.cozecdc.common.DatabaseClock;
import io.cozecdc.common.JobControl;
import io.cozecdc.configs.ConfigRegistry;
import io.cozecdc.configs.ConfigStatus;
import io.cozecdc.configs.SyncConfig;
import io.cozecdc.configs.SyncConfigRepository;
import io.cozecdc.ops.ReconcileSettings;
import io.cozecdc.sync.documents.DocumentNames;

/**
 * Arranges pipeline tests: clean tables, a reset fake, configs registered, jobs running; and reads
 * back what Coze holds. A bean of the test application: inject it.
 */
@ApplicationScoped
public class PipelineSupport {

    public static final Duration WAIT = Duration.ofSeconds(60);
    private static final List<String> SAMPLE_TABLES = List.of("products", "suppliers", "inventory_records");

    private final TestDb db;
    private final JobControl control;
    private final ConfigRegistry registry;
    private final SyncConfigRepository configs;
    private final Pool pool;
    private final TriggerService triggers;
    private final DatabaseClock databaseClock;
    private final ReconcileSettings reconcile;

    public PipelineSupport(AgroalDataSource dataSource, JobControl control, ConfigRegistry registry,
            SyncConfigRepository configs, Pool pool, TriggerService triggers, DatabaseClock databaseClock,
            ReconcileSettings reconcile) {
        this.db = new TestDb(dataSource);
        this.control = control;
        this.registry = registry;
        this.configs = configs;
        this.pool = pool;
        this.triggers = triggers;
        this.databaseClock = databaseClock;
        this.reconcile = reconcile;
    }

    public TestDb db() {
        return db;
    }

    /**
     * Stops the jobs, empties every table the pipeline writes, resets the fake, and makes sure the
     * sample tables are captured (an earlier test, the API fuzzer say, may have released one).
     */
    public void reset() {
        if (!control.pauseAndWait(Duration.ofSeconds(30))) {
            throw new IllegalStateException("background jobs did not stop");
        }
        // business tables first: their triggers write change-log rows, which go next
        db.execute("DELETE FROM products", "DELETE FROM suppliers", "DELETE FROM inventory_records",
                "DELETE FROM sync_configs", "DELETE FROM synced_documents", "DELETE FROM coze_documents",
                "DELETE FROM sync_failures", "DELETE FROM data_change_logs", "DELETE FROM cdc_job_leases",
                "DELETE FROM create_intents", "DELETE FROM fanout_jobs", "DELETE FROM document_dependencies");
        FakeCozeResource.running().reset();
        for (String table : SAMPLE_TABLES) {
            CaptureStatus status = triggers.status(table).await().atMost(WAIT);
            if (status == null || status.state() != TriggerState.INSTALLED) {
                triggers.install(table).await().atMost(WAIT);
            }
        }
        registry.refresh().await().atMost(WAIT);
    }

    public void start() {
        control.resume();
    }

    public void stop() {
        control.pauseAndWait(Duration.ofSeconds(30));
    }

    /** Inserts an enabled config and makes the registry see it. */
    public SyncConfig config(String name, String table, String datasetId, List<String> fields, String template) {
        var now = java.time.Instant.now();
        SyncConfig config = new SyncConfig(0, name, table, Long.parseLong(datasetId), fields, template, true,
                ConfigStatus.ACTIVE, null, now, now);
        SyncConfig saved = configs.insert(pool, config).await().atMost(WAIT);
        registry.refresh().await().atMost(WAIT);
        return saved;
    }

    /** Inserts an enabled config with related tables (issue 16) and makes the registry see it. */
    public SyncConfig relatedConfig(String name, String table, String datasetId, List<String> fields,
            List<io.cozecdc.configs.Relation> related) {
        var now = java.time.Instant.now();
        SyncConfig config = new SyncConfig(0, name, table, Long.parseLong(datasetId), fields, null, true,
                ConfigStatus.ACTIVE, null, now, now, related);
        SyncConfig saved = configs.insert(pool, config).await().atMost(WAIT);
        registry.refresh().await().atMost(WAIT);
        return saved;
    }

    public String insertProduct(String sku, String name, String price, String cost, int stock) {
        String id = UUID.randomUUID().toString();
        db.update("INSERT INTO products (id, sku, name, unit_price, cost_price, stock_quantity) VALUES (?, ?, ?, ?, ?, ?)",
                id, sku, name, new java.math.BigDecimal(price), cost == null ? null : new java.math.BigDecimal(cost), stock);
        return id;
    }

    /** Pending change-log rows. */
    public long pending() {
        return db.count("SELECT COUNT(*) FROM data_change_logs WHERE processed = 0");
    }

    /** Documents in the dataset that are done, by record key parsed from the content's id line. */
    public Map<String, List<io.cozecdc.testing.coze.FakeDocument>> documentsByKey(String datasetId, String keyField) {
        Map<String, List<io.cozecdc.testing.coze.FakeDocument>> byKey = new java.util.TreeMap<>();
        for (var doc : FakeCozeResource.running().documents(datasetId)) {
            byKey.computeIfAbsent(keyOf(doc.content(), keyField), k -> new java.util.ArrayList<>()).add(doc);
        }
        return byKey;
    }

    /**
     * Waits until reconciliation counts every document in the dataset as old enough to judge: the time in
     * its name is before the database's clock minus cdc.reconcile.grace, the very comparison it makes.
     */
    public void awaitPastReconciliationGrace(String datasetId) {
        org.awaitility.Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            Instant newest = FakeCozeResource.running().documents(datasetId).stream()
                    .map(d -> DocumentNames.parse(d.name())).flatMap(Optional::stream).map(DocumentNames.Parsed::createdAt)
                    .max(Comparator.naturalOrder()).orElse(Instant.EPOCH);
            return newest.isBefore(databaseClock.now().await().atMost(WAIT).minus(reconcile.grace()));
        });
    }

    /** The value of "field: value" in a rendered document. */
    public static String keyOf(String content, String field) {
        for (String line : content.split("\n")) {
            if (line.startsWith(field + ": ")) {
                return line.substring(field.length() + 2);
            }
        }
        return "?";
    }
}
