package io.cozecdc.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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
 * Issue 14's crash test: the packaged service killed with SIGKILL three times at random moments during
 * 2 000 writes ends exact within 2 minutes after the last write, with reconciliation switched off: the
 * documents a killed replica created without committing are settled by their create intents.
 */
@Execution(ExecutionMode.CONCURRENT) // beside the other tests, two ITs at a time: see surefire in the pom
@ExtendWith(StartGate.class) // once the in-process tests' application has started
class IntentChaosIT {

    static final String COZE_TOKEN = "coze-token-intents-9b2c";

    static DatabaseServer db;
    static FakeCoze coze;
    static ServiceProcess service;
    static TestDb sql;
    static String dataset;

    @BeforeAll
    static void start() {
        db = DatabaseServer.start("intents");
        coze = FakeCoze.start(COZE_TOKEN);
        // slow enough that kills land between creates and their commits
        coze.latency(Duration.ofMillis(40)).processingDelay(Duration.ofMillis(300));
        service = ServiceProcess.builder("intents")
                .database(db)
                .coze(coze.baseUrl(), COZE_TOKEN)
                .jvmArgs("-Xmx256m")
                .setting("cdc.instance-id", "intents")
                .quickTimings()
                .setting("cdc.poll.batch-size", "50")
                .setting("cdc.poll.lease", "5s")
                .setting("cdc.intents.lease", "5s")
                .setting("cdc.leases.renew-interval", "1s")
                // only the intents may clean up after a kill
                .setting("cdc.reconcile.enabled", "false")
                .start();
        sql = db.testDb();
        dataset = coze.createDataset("intents-kb");
        ExactState.createConfig(service, "intents", dataset);
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
    void killedThreeTimesDuringTwoThousandWritesEndsExactWithinTwoMinutesWithoutReconciliation() {
        long seed = Long.getLong("chaos.seed", System.nanoTime());
        System.out.printf("[intents] seed %d%n", seed);
        Random random = new Random(seed);
        List<String> kills = new ArrayList<>();
        long lastWrite;
        try (ProductWriter writer = new ProductWriter(sql, seed).start(2000, Duration.ofSeconds(120), 50)) {
            for (int i = 0; i < 3; i++) {
                sleep(3000 + random.nextInt(8000));
                long intents = sql.count("SELECT COUNT(*) FROM create_intents");
                Duration took = service.kill();
                kills.add("kill " + (i + 1) + " after " + writer.ops() + " writes (" + intents + " open intents), gone in "
                        + took.toMillis() + " ms");
                sleep(random.nextInt(1000));
                service.restart();
            }
            writer.awaitDone(Duration.ofSeconds(120));
            lastWrite = System.nanoTime();
            System.out.printf("[intents] %s; %d writes%n", kills, writer.ops());
            assertThat(writer.failed()).as("writes the database refused").isZero();
            assertThat(writer.ops()).isEqualTo(2000);
        }
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(sql.count("SELECT COUNT(*) FROM data_change_logs WHERE processed = 0")).isZero();
            assertThat(sql.count("SELECT COUNT(*) FROM create_intents")).isZero();
            ExactState.assertExact(sql, coze, dataset);
        });
        System.out.printf("[intents] exact %.1f s after the last write%n", (System.nanoTime() - lastWrite) / 1e9);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
