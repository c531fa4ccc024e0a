package io.cozecdc.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import io.cozecdc.testing.StartGate;
import io.cozecdc.testing.TestDb;
import io.cozecdc.testing.coze.FakeCoze;
import io.cozecdc.testing.coze.FakeDocument;
import io.cozecdc.testing.process.DatabaseServer;
import io.cozecdc.testing.process.ExactState;
import io.cozecdc.testing.process.ServiceProcess;

/**
 * Issue 16: a fan-out interrupted by SIGKILL resumes and ends exact. A supplier of 2 000 products is renamed;
 * the fan-out queues their keys 100 per chunk, held back by {@code cdc.fanout.max-pending}, and the packaged
 * service is killed with SIGKILL twice while it runs. After the restarts every product has exactly one
 * document, carrying the new name, and each key was queued exactly once: a chunk and its cursor are committed
 * together or not at all, so a kill neither loses a chunk nor repeats one.
 */
@Execution(ExecutionMode.CONCURRENT) // beside the other tests, two ITs at a time: see surefire in the pom
@ExtendWith(StartGate.class) // once the in-process tests' application has started
class FanoutChaosIT {

    static final String COZE_TOKEN = "coze-token-fanout-7a31";
    static final int PRODUCTS = 2000;

    static DatabaseServer db;
    static FakeCoze coze;
    static ServiceProcess service;
    static TestDb sql;
    static String dataset;

    @BeforeAll
    static void start() {
        db = DatabaseServer.start("fanout-chaos");
        coze = FakeCoze.start(COZE_TOKEN);
        coze.latency(Duration.ofMillis(20)).processingDelay(Duration.ofMillis(200));
        service = ServiceProcess.builder("fanout-chaos")
                .database(db)
                .coze(coze.baseUrl(), COZE_TOKEN)
                .jvmArgs("-Xmx256m")
                .setting("cdc.instance-id", "fanout-chaos")
                .quickTimings()
                .setting("cdc.poll.batch-size", "50")
                .setting("cdc.poll.lease", "5s")
                .setting("cdc.fanout.chunk-size", "100")
                .setting("cdc.fanout.max-pending", "200")
                .setting("cdc.fanout.lease", "3s")
                .start();
        sql = db.testDb();
        dataset = coze.createDataset("fanout-chaos-kb");
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
        if (coze != null) {
            coze.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void aFanOutKilledWithSigkillTwiceResumesAndEndsExact() {
        String supplier = UUID.randomUUID().toString();
        sql.update("INSERT INTO suppliers (id, name, city) VALUES (?, 'Old Name Ltd', 'Shanghai')", supplier);
        for (int i = 0; i < PRODUCTS; i += 500) {
            StringBuilder insert = new StringBuilder("INSERT INTO products (id, sku, name, unit_price, supplier_id) VALUES ");
            for (int j = i; j < i + 500; j++) {
                insert.append(j == i ? "" : ", ").append("(UUID(), 'F-").append(j).append("', 'product ").append(j)
                        .append("', 1.00, '").append(supplier).append("')");
            }
            sql.execute(insert.toString());
        }
        long configId = ExactState.createConfig(service, "fanout-chaos", dataset);
        // the relation goes in through the table, not the API, and the service restarts: the suppliers table gets
        // its capture triggers from the startup (every table a configuration's relations name), nothing else
        sql.update("UPDATE sync_configs SET related = ? WHERE id = ?",
                "[{\"name\":\"supplier\",\"table\":\"suppliers\",\"join\":{\"supplier_id\":\"id\"},\"fields\":[\"name\"]}]",
                configId);
        assertThat(sql.count("SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = DATABASE() "
                + "AND EVENT_OBJECT_TABLE = 'suppliers'")).isZero();
        service.terminate(Duration.ofSeconds(30));
        service.restart();
        assertThat(sql.count("SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = DATABASE() "
                + "AND EVENT_OBJECT_TABLE = 'suppliers'")).as("capture triggers of the related table").isEqualTo(3);
        service.api().post("/api/v1/sync-configs/" + configId + "/resync").then().statusCode(202);
        ExactState.awaitDrained(sql, Duration.ofSeconds(180));
        assertThat(coze.documents(dataset)).hasSize(PRODUCTS)
                .allSatisfy(d -> assertThat(d.content()).contains("Old Name Ltd"));
        long before = sql.count("SELECT COALESCE(MAX(id), 0) FROM data_change_logs");

        sql.update("UPDATE suppliers SET name = 'New Name Ltd' WHERE id = ?", supplier);
        for (int kill = 1; kill <= 2; kill++) {
            long queuedAtLeast = kill * 500L;
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50)).until(() ->
                    sql.count("SELECT COALESCE(SUM(documents_queued), 0) FROM fanout_jobs") >= queuedAtLeast);
            long queued = sql.count("SELECT COALESCE(SUM(documents_queued), 0) FROM fanout_jobs");
            Duration took = service.kill();
            System.out.printf("[fanout-chaos] kill %d with %d of %d documents queued, gone in %d ms%n", kill, queued, PRODUCTS,
                    took.toMillis());
            assertThat(queued).as("the fan-out is still running when killed").isLessThan(PRODUCTS);
            service.restart();
        }

        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250)).until(() ->
                sql.count("SELECT COUNT(*) FROM fanout_jobs") == 0);
        ExactState.awaitDrained(sql, Duration.ofSeconds(180));
        // documents created just before a kill, whose commit was lost, are left to reconciliation
        sleepQuietly(2500);
        service.api().post("/api/v1/maintenance/reconcile").then().statusCode(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> coze.documents(dataset).size() == PRODUCTS);

        assertThat(sql.count("SELECT COUNT(*) FROM data_change_logs WHERE id > ? AND operation_type = 'SNAPSHOT'", before))
                .as("keys queued by the interrupted fan-out: each exactly once").isEqualTo(PRODUCTS);
        assertThat(sql.count("SELECT COUNT(DISTINCT record_uuid) FROM data_change_logs WHERE id > ? AND operation_type = 'SNAPSHOT'",
                before)).isEqualTo(PRODUCTS);
        List<FakeDocument> docs = coze.documents(dataset);
        Map<String, Integer> copies = new HashMap<>();
        docs.forEach(d -> copies.merge(d.content().lines().findFirst().orElse(""), 1, Integer::sum));
        assertThat(copies).as("one document per product").hasSize(PRODUCTS).allSatisfy((k, n) -> assertThat(n).isEqualTo(1));
        assertThat(docs).allSatisfy(d -> {
            assertThat(d.status()).isEqualTo(FakeDocument.DONE);
            assertThat(d.content()).contains("New Name Ltd").doesNotContain("Old Name Ltd");
        });
        assertThat(sql.count("SELECT COUNT(*) FROM sync_failures WHERE status = 'DEAD'")).as("dead letters").isZero();
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
