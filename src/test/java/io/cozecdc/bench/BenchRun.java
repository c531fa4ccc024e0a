package io.cozecdc.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.cozecdc.testing.TestDb;
import io.cozecdc.testing.coze.FakeCoze;
import io.cozecdc.testing.process.ServiceProcess;

/**
 * Everything the scenarios of one run share: the database, the Coze fake (over real HTTP, request
 * history off so a million documents fit), the dataset and the sync configuration that sends the
 * {@code products} table to it, and the report. The schema, the capture triggers of the sample tables
 * and the configuration are made once, by a short-lived service process.
 */
final class BenchRun implements AutoCloseable {

    static final String COZE_TOKEN = "bench-coze-token";
    static final String CONFIG_NAME = "bench-products";
    /** What the configuration sends: a typical public subset of a product. */
    static final List<String> FIELDS = List.of("id", "sku", "name", "category", "description", "unit_price", "stock_quantity");

    final BenchSettings settings;
    final BenchDatabase db;
    final FakeCoze coze;
    final String dataset;
    final Report report;
    private int nextTag = 1;

    private BenchRun(BenchSettings settings, BenchDatabase db, FakeCoze coze) {
        this.settings = settings;
        this.db = db;
        this.coze = coze;
        this.dataset = coze.createDataset("bench-products");
        prepareSchemaAndConfig();
        this.report = new Report(settings, Machine.describe(db.sql()));
    }

    static BenchRun start(BenchSettings settings) {
        BenchDatabase db = BenchDatabase.open(settings.full() ? "1G" : "256M");
        FakeCoze coze = null;
        try {
            coze = FakeCoze.start(COZE_TOKEN).recordRequests(false);
            return new BenchRun(settings, db, coze);
        } catch (RuntimeException e) {
            if (coze != null) {
                coze.close();
            }
            db.close();
            throw e;
        }
    }

    TestDb sql() {
        return db.sql();
    }

    /** A fresh tag for product keys, so no two batches of a run share a key. */
    int tag() {
        return nextTag++;
    }

    /** A service builder on the run's database and fake, with the given settings (as -D). */
    ServiceProcess.Builder service(String name, Map<String, String> properties) {
        ServiceProcess.Builder b = ServiceProcess.builder("bench-" + name).coze(coze.baseUrl(), COZE_TOKEN)
                .readyTimeout(Duration.ofMinutes(3));
        db.env().forEach(b::env);
        if (Boolean.getBoolean("bench.jfr")) {
            // -Dbench.jfr=true: a flight recording of every service process, for profiling (docs/benchmarks.md)
            Path jfr = settings.outputDir().resolve("jfr").resolve(name + "-" + System.currentTimeMillis() + ".jfr");
            try {
                Files.createDirectories(jfr.getParent());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            b.jvmArgs("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + jfr);
        }
        serviceOverrides().forEach(b::setting);
        properties.forEach(b::setting);
        return b;
    }

    /**
     * Settings given to every service of the run, from system properties {@code bench.service.<property>}
     * (e.g. {@code -Dbench.service.cdc.poll.parallel-batches=4}), for what-if runs on the defaults; a
     * scenario's own settings (the seed-like baseline's) still win. The report lists them.
     */
    static Map<String, String> serviceOverrides() {
        Map<String, String> overrides = new java.util.TreeMap<>();
        System.getProperties().forEach((k, v) -> {
            if (k.toString().startsWith("bench.service.")) {
                overrides.put(k.toString().substring("bench.service.".length()), v.toString());
            }
        });
        return overrides;
    }

    /**
     * Empties the business tables and the service's state (change log, document map, ledger, failures,
     * leases) and resets the fake: documents, events, counters and faults. Keeps the configuration and
     * the triggers. No service may run meanwhile.
     */
    void resetData() {
        sql().execute("TRUNCATE TABLE products", "TRUNCATE TABLE suppliers", "TRUNCATE TABLE inventory_records",
                "TRUNCATE TABLE data_change_logs", "TRUNCATE TABLE synced_documents", "TRUNCATE TABLE coze_documents",
                "TRUNCATE TABLE sync_failures", "TRUNCATE TABLE cdc_job_leases", "TRUNCATE TABLE backfill_jobs",
                "TRUNCATE TABLE fanout_jobs", "TRUNCATE TABLE document_dependencies");
        coze.reset();
    }

    /** Starts measuring CPU: the machine, these services (named by their log names) and the embedded database. */
    CpuMeter cpu(ServiceProcess... services) {
        Map<String, Long> pids = new LinkedHashMap<>();
        for (int i = 0; i < services.length; i++) {
            pids.put("service" + (services.length > 1 ? "-" + (char) ('a' + i) : ""), services[i].pid());
        }
        long db = CpuMeter.databasePid();
        if (db > 0) {
            pids.put("database", db);
        }
        return CpuMeter.start(pids);
    }

    /** Pending change-log rows (served by idx_processed: cheap while few are pending). */
    long pending() {
        return sql().count("SELECT COUNT(*) FROM data_change_logs WHERE processed = 0");
    }

    /** Writes a file under the output directory (logs, plans) and returns it. */
    Path write(String file, String text) {
        try {
            Files.createDirectories(settings.outputDir());
            return Files.writeString(settings.outputDir().resolve(file), text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void prepareSchemaAndConfig() {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("cdc.capture.tables", "products,suppliers,inventory_records");
        props.put("cdc.poll.enabled", "false");
        try (ServiceProcess setup = service("setup", props).start()) {
            List<Map<String, Object>> existing = setup.api().get("/api/v1/sync-configs").then().statusCode(200)
                    .extract().jsonPath().getList("$");
            for (Map<String, Object> c : existing) {
                setup.api().queryParam("keepDocuments", "true").delete("/api/v1/sync-configs/" + c.get("id")).then().statusCode(200);
            }
            setup.api().body(Map.of("name", CONFIG_NAME, "tableName", "products", "datasetId", dataset, "fields", FIELDS))
                    .post("/api/v1/sync-configs").then().statusCode(201);
            setup.terminate(Duration.ofSeconds(30));
        }
    }

    @Override
    public void close() {
        try {
            coze.close();
        } finally {
            db.close();
        }
    }
}
