package io.cozecdc.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import io.cozecdc.testing.StartGate;
import io.cozecdc.testing.TestDb;
import io.cozecdc.testing.coze.FakeCoze;
import io.cozecdc.testing.process.DatabaseServer;
import io.cozecdc.testing.process.ExactState;
import io.cozecdc.testing.process.ProductWriter;
import io.cozecdc.testing.process.ServiceProcess;

/**
 * The packaged service as a real process, killed with SIGKILL at random moments while an application
 * writes, then stopped with SIGTERM while busy: the dataset ends exactly right, and a SIGTERM'd replica
 * exits within the Kubernetes grace period leaving no claim behind.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Execution(ExecutionMode.CONCURRENT) // beside the other tests, two ITs at a time: see surefire in the pom
@ExtendWith(StartGate.class) // once the in-process tests' application has started
class ProcessChaosIT {

    static final String COZE_TOKEN = "coze-token-chaos-4e1d";
    /** terminationGracePeriodSeconds in deploy/kubernetes/deployment.yaml. */
    static final Duration GRACE = Duration.ofSeconds(30);

    static DatabaseServer db;
    static FakeCoze coze;
    static ServiceProcess service;
    static TestDb sql;
    static String dataset;

    @BeforeAll
    static void start() {
        db = DatabaseServer.start("chaos");
        coze = FakeCoze.start(COZE_TOKEN);
        // slow enough that kills land in the middle of batches and uploads
        coze.latency(Duration.ofMillis(30)).processingDelay(Duration.ofMillis(300));
        service = ServiceProcess.builder("chaos")
                .database(db)
                .coze(coze.baseUrl(), COZE_TOKEN)
                .jvmArgs("-Xmx256m")
                .setting("cdc.instance-id", "chaos")
                .quickTimings()
                .setting("cdc.poll.batch-size", "50")
                // a killed replica's claims come back soon
                .setting("cdc.poll.lease", "5s")
                // short, so the SIGTERM test sees batches that cannot finish in time and must be released
                .setting("cdc.shutdown.drain-timeout", "2s")
                .start();
        sql = db.testDb();
        dataset = coze.createDataset("chaos-kb");
        ExactState.createConfig(service, "chaos", dataset);
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
    @Order(1)
    @Execution(ExecutionMode.SAME_THREAD) // in order, one after the other (a CONCURRENT class runs its methods
    // at once otherwise, whatever their @Order): both kill or stop the one service
    void killedWithSigkillAtRandomMomentsWhileTheApplicationWritesTheDatasetEndsExact() {
        long seed = Long.getLong("chaos.seed", System.nanoTime());
        System.out.printf("[chaos] seed %d%n", seed);
        Random random = new Random(seed);
        List<String> kills = new ArrayList<>();
        try (ProductWriter writer = new ProductWriter(sql, seed).start(1500, Duration.ofSeconds(60), 40)) {
            for (int i = 0; i < 4; i++) {
                sleep(1500 + random.nextInt(3500));
                long pending = sql.count("SELECT COUNT(*) FROM data_change_logs WHERE processed = 0");
                long claimed = sql.count("SELECT COUNT(*) FROM data_change_logs WHERE processed = 0 AND claimed_by IS NOT NULL");
                Duration took = service.kill();
                kills.add("kill " + (i + 1) + " after " + writer.ops() + " writes: " + pending + " pending, " + claimed
                        + " claimed, gone in " + took.toMillis() + " ms");
                sleep(random.nextInt(1000));
                service.restart();
            }
            writer.awaitDone(Duration.ofSeconds(90));
            System.out.printf("[chaos] %s; %d writes%n", kills, writer.ops());
            assertThat(writer.failed()).as("writes the database refused").isZero();
        }
        assertConverged();
    }

    @Test
    @Order(2)
    @Execution(ExecutionMode.SAME_THREAD)
    void sigtermWhileBusyExitsWithinTheGracePeriodAndLeavesNoClaimBehind() {
        // Coze so slow that the running batch cannot finish within the drain timeout: its claims must be released
        coze.latency(Duration.ofSeconds(4));
        new ProductWriter(sql, 7).burst(400);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                sql.count("SELECT COUNT(*) FROM data_change_logs WHERE processed = 0 AND claimed_by IS NOT NULL") > 0);

        ServiceProcess.Exit exit = service.terminate(GRACE);
        System.out.printf("[chaos] SIGTERM: exit %d after %d ms%n", exit.code(), exit.took().toMillis());
        assertThat(exit.killed()).as("still running after the grace period").isFalse();
        assertThat(exit.took()).isLessThan(GRACE);
        assertThat(exit.code()).as("exit code").isIn(0, 143);
        assertThat(sql.count("SELECT COUNT(*) FROM data_change_logs WHERE processed = 0 AND claimed_by IS NOT NULL "
                + "AND claim_expires_at > NOW(3)")).as("claims left behind by the stopped replica").isZero();
        assertThat(service.log()).contains("did not finish within").containsPattern("released [1-9][0-9]* claimed changes");

        coze.latency(Duration.ofMillis(10));
        service.restart();
        assertConverged();
    }

    private static void assertConverged() {
        ExactState.awaitDrained(sql, Duration.ofSeconds(120));
        // documents created just before a kill, whose commit was lost, are left to reconciliation
        sleep(2500);
        service.api().post("/api/v1/maintenance/reconcile").then().statusCode(200);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                coze.documents(dataset).size() == sql.count("SELECT COUNT(*) FROM products"));
        ExactState.assertExact(sql, coze, dataset);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
