package io.cozecdc.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import io.cozecdc.testing.Scrape;
import io.cozecdc.testing.StartGate;
import io.cozecdc.testing.TestDb;
import io.cozecdc.testing.coze.FakeCoze;
import io.cozecdc.testing.process.DatabaseServer;
import io.cozecdc.testing.process.ExactState;
import io.cozecdc.testing.process.ProductWriter;
import io.cozecdc.testing.process.ServiceProcess;
import io.cozecdc.testing.process.TcpProxy;

/**
 * The packaged service through outages of what it depends on: the database stops for 15 s (readiness
 * goes DOWN with the reason, the service reconnects by itself, nothing is lost), and Coze is unreachable
 * for 60 s (the backlog waits in the change log where the metrics show it grow, the configuration stays
 * ACTIVE, and everything drains afterwards without a dead letter).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Execution(ExecutionMode.CONCURRENT) // beside the other tests, two ITs at a time: see surefire in the pom
@ExtendWith(StartGate.class) // once the in-process tests' application has started
class OutageIT {

    static final String COZE_TOKEN = "coze-token-outage-77aa";
    static final Map<String, String> PRODUCTS = Map.of("table", "products");

    static DatabaseServer db;
    static FakeCoze coze;
    static TcpProxy cozeLink;
    static ServiceProcess service;
    static TestDb sql;
    static String dataset;
    static long configId;

    @BeforeAll
    static void start() {
        db = DatabaseServer.start("outage");
        coze = FakeCoze.start(COZE_TOKEN);
        cozeLink = TcpProxy.start(Integer.parseInt(coze.baseUrl().substring(coze.baseUrl().lastIndexOf(':') + 1)));
        service = ServiceProcess.builder("outage")
                .database(db)
                .coze(cozeLink.httpUrl(), COZE_TOKEN)
                .jvmArgs("-Xmx256m")
                .quickTimings()
                .setting("cdc.ops.metrics-refresh", "1s")
                .setting("coze.request-timeout", "3s")
                // the claims of the batches the database outage broke come back soon after it, not after
                // the production lease of 2 minutes (renewals every 2 s keep the lease of running batches)
                .setting("cdc.poll.lease", "10s")
                .setting("cdc.leases.renew-interval", "2s")
                // a statement the pool leaves without an answer as the database stops is given up on after
                // this plus 30 s (Sql.callBound), not after the production 60 + 30 s
                .setting("cdc.jobs.statement-timeout", "20s")
                .start();
        sql = db.testDb();
        dataset = coze.createDataset("outage-kb");
        configId = ExactState.createConfig(service, "outage", dataset);
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
        if (cozeLink != null) {
            cozeLink.close();
        }
        if (coze != null) {
            coze.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    @Order(1)
    @Execution(ExecutionMode.SAME_THREAD) // in order, one after the other (a CONCURRENT class runs its methods
    // at once otherwise, whatever their @Order): both stop a part the other needs: the database, the link to Coze
    void theDatabaseStopsFor15SecondsReadinessSaysWhyTheServiceReconnectsAndNothingIsLost() {
        ProductWriter writer = new ProductWriter(sql, 11);
        long pid = service.pid();
        // mid-run: a backlog is being worked through (Coze answers slowly) when the database goes away
        coze.latency(Duration.ofMillis(100));
        writer.burst(300);
        await().atMost(Duration.ofSeconds(30)).until(() -> !coze.documents(dataset).isEmpty());
        long pendingAtStop = sql.count("SELECT COUNT(*) FROM data_change_logs WHERE processed = 0");
        long claimedAtStop = sql.count("SELECT COUNT(*) FROM data_change_logs WHERE processed = 0 AND claimed_by IS NOT NULL");

        long stoppedAt = System.nanoTime();
        db.stop();
        System.out.printf("[outage] database stopped with %d changes pending, %d of them claimed%n", pendingAtStop, claimedAtStop);
        HttpResponse<String> down = awaitReadiness(503, Duration.ofSeconds(14));
        System.out.printf("[outage] readiness while the database is down: %s%n", down.body());
        assertThat(down.body()).contains("\"status\": \"DOWN\"");
        assertThat(down.body().toLowerCase()).as("the reason").containsAnyOf("connection", "refused", "closed");
        long left = Duration.ofSeconds(15).toNanos() - (System.nanoTime() - stoppedAt);
        sleep(Math.max(0, left / 1_000_000));
        db.startAgain();
        long restartedAt = System.nanoTime();

        awaitReadiness(200, Duration.ofSeconds(60));
        System.out.printf("[outage] ready again %d ms after the database came back%n", (System.nanoTime() - restartedAt) / 1_000_000);
        assertThat(service.pid()).as("the same process, not a restart").isEqualTo(pid);
        assertThat(service.isAlive()).isTrue();

        writer.burst(150);
        coze.latency(Duration.ZERO);
        ExactState.awaitDrained(sql, Duration.ofSeconds(120));
        reconcileAndAssertExact();
        assertThat(pendingAtStop).as("changes pending when the database stopped").isPositive();
    }

    @Test
    @Order(2)
    @Execution(ExecutionMode.SAME_THREAD)
    void cozeIsUnreachableFor60SecondsTheBacklogGrowsVisiblyAndDrainsWithoutDeadLetters() {
        cozeLink.down();
        long downAt = System.nanoTime();
        List<Double> pending = new ArrayList<>();
        List<Double> oldest = new ArrayList<>();
        List<Double> retrying = new ArrayList<>();
        try (ProductWriter writer = new ProductWriter(sql, 23).start(400, Duration.ofSeconds(55), 6)) {
            while (System.nanoTime() - downAt < Duration.ofSeconds(60).toNanos()) {
                sleep(5000);
                Scrape scrape = Scrape.of(service.metrics());
                pending.add(scrape.valueOrZero("cdc_pending_changes", PRODUCTS));
                oldest.add(scrape.valueOrZero("cdc_oldest_pending_age_seconds", PRODUCTS));
                // a probe that finds Coze still down moves its batch into the retry queue
                retrying.add(scrape.valueOrZero("cdc_sync_failures", Map.of("config", "outage", "status", "retrying")));
            }
            writer.awaitDone(Duration.ofSeconds(10));
        }
        System.out.printf("[outage] Coze down 60 s: cdc_pending_changes %s, cdc_oldest_pending_age_seconds %s, "
                + "cdc_sync_failures{status=retrying} %s%n", pending, oldest, retrying);
        double first = pending.get(0) + retrying.get(0);
        double last = pending.get(pending.size() - 1) + retrying.get(retrying.size() - 1);
        assertThat(last).as("backlog (pending + retrying) at the end of the outage").isGreaterThan(first).isGreaterThan(50);
        // the age grows between probes; each failed probe moves the oldest batch to the retry queue
        assertThat(oldest.stream().mapToDouble(Double::doubleValue).max().orElse(0)).as("highest oldest-pending age seen")
                .isGreaterThan(15);
        service.api().get("/api/v1/sync-configs/" + configId).then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("ACTIVE")).body("enabled", org.hamcrest.Matchers.equalTo(true));
        assertThat(sql.count("SELECT COUNT(*) FROM sync_failures WHERE status = 'DEAD'")).as("dead letters during the outage").isZero();

        cozeLink.up();
        long upAt = System.nanoTime();
        ExactState.awaitDrained(sql, Duration.ofSeconds(120));
        System.out.printf("[outage] drained %d ms after Coze came back%n", (System.nanoTime() - upAt) / 1_000_000);
        reconcileAndAssertExact();
        assertThat(Scrape.of(service.metrics()).valueOrZero("cdc_pending_changes", PRODUCTS)).isLessThan(pending.get(pending.size() - 1));
    }

    private static void reconcileAndAssertExact() {
        sleep(2500);
        service.api().post("/api/v1/maintenance/reconcile").then().statusCode(200);
        try {
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    coze.documents(dataset).size() == sql.count("SELECT COUNT(*) FROM products"));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("Coze still differs 30 s after a reconciliation: "
                    + ExactState.difference(sql, coze, dataset) + "\n" + ExactState.summary(sql), e);
        }
        ExactState.assertExact(sql, coze, dataset);
    }

    private static HttpResponse<String> awaitReadiness(int status, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline) {
            last = service.get("/q/health/ready");
            if (last != null && last.statusCode() == status) {
                return last;
            }
            sleep(250);
        }
        throw new AssertionError("readiness did not answer " + status + " within " + timeout + "; last: "
                + (last == null ? "no answer" : last.statusCode() + " " + last.body()));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
