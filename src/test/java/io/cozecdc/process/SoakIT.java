package io.cozecdc.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import io.cozecdc.testing.Scrape;
import io.cozecdc.testing.StartGate;
import io.cozecdc.testing.TestDb;
import io.cozecdc.testing.coze.FakeCoze.Endpoint;
import io.cozecdc.testing.coze.FakeCoze;
import io.cozecdc.testing.process.DatabaseServer;
import io.cozecdc.testing.process.ExactState;
import io.cozecdc.testing.process.ProductWriter;
import io.cozecdc.testing.process.ServiceProcess;

/**
 * Soak (not in CI): mixed writes for {@code soak.minutes} (default 30) against the packaged service
 * with about 10 % of Coze calls failing (5000, 502, lost answers). Every minute it forces a GC in the
 * service (jcmd) and samples the live heap and the backlog; both must stay flat, and the dataset must
 * end exact. Figures go to target/soak/result.md.
 *
 * <pre>./mvnw test -Dtest=SoakIT -Dsoak=true</pre>
 */
@EnabledIfSystemProperty(named = "soak", matches = "true")
@Execution(ExecutionMode.CONCURRENT) // beside the other tests, two ITs at a time: see surefire in the pom
@ExtendWith(StartGate.class) // once the in-process tests' application has started
class SoakIT {

    static final String COZE_TOKEN = "coze-token-soak";

    record Sample(long second, double liveHeapMb, double pending, double retrying, double dead, int writes) {
    }

    @Test
    void halfAnHourOfMixedWritesWithTenPercentCozeFaultsKeepsHeapAndBacklogFlat() throws Exception {
        Duration length = Duration.ofMinutes(Long.getLong("soak.minutes", 30));
        List<Sample> samples = new ArrayList<>();
        try (DatabaseServer db = DatabaseServer.builder("soak").bufferPool("256M").start();
                FakeCoze coze = FakeCoze.start(COZE_TOKEN);
                ServiceProcess service = ServiceProcess.builder("soak").database(db).coze(coze.baseUrl(), COZE_TOKEN)
                        .jvmArgs("-Xmx256m")
                        .setting("cdc.reconcile.grace", "30s")
                        .setting("cdc.reconcile.interval", "2m")
                        .setting("cdc.ops.metrics-refresh", "2s")
                        .setting("cdc.retry.max-backoff", "1m")
                        .setting("coze.request-timeout", "3s")
                        .start()) {
            TestDb sql = db.testDb();
            String dataset = coze.createDataset("soak-kb");
            ExactState.createConfig(service, "soak", dataset);
            coze.seed(2026).latency(Duration.ofMillis(20)).processingDelay(Duration.ofMillis(500));
            for (Endpoint e : List.of(Endpoint.CREATE, Endpoint.DELETE, Endpoint.PROCESS, Endpoint.LIST)) {
                coze.failWithCode(e, 5000, 0.05).failWithHttpStatus(e, 502, 0.03).timeoutAfterApply(e, 0.02, Duration.ofSeconds(4));
            }
            long start = System.nanoTime();
            try (ProductWriter writer = new ProductWriter(sql, 42).start(Integer.MAX_VALUE, length, 20)) {
                while (System.nanoTime() - start < length.toNanos()) {
                    Thread.sleep(60_000);
                    samples.add(sample(service, writer, (System.nanoTime() - start) / 1_000_000_000));
                    System.out.printf("[soak] %s%n", samples.get(samples.size() - 1));
                }
                writer.awaitDone(Duration.ofSeconds(30));
            }
            coze.clearFaults();
            ExactState.awaitDrained(sql, Duration.ofMinutes(5));
            Thread.sleep(31_000);
            service.api().post("/api/v1/maintenance/reconcile").then().statusCode(200);
            Thread.sleep(3000);
            ExactState.assertExact(sql, coze, dataset);
            write(samples, length, sql.count("SELECT COUNT(*) FROM data_change_logs"), coze.allDocuments().size());
        }
        int third = Math.max(1, samples.size() / 3);
        double heapFirst = median(samples.subList(0, third).stream().map(Sample::liveHeapMb).toList());
        double heapLast = median(samples.subList(samples.size() - third, samples.size()).stream().map(Sample::liveHeapMb).toList());
        double backlogFirst = samples.subList(0, third).stream().mapToDouble(s -> s.pending() + s.retrying()).max().orElse(0);
        double backlogLast = samples.subList(samples.size() - third, samples.size()).stream().mapToDouble(s -> s.pending() + s.retrying()).max().orElse(0);
        assertThat(heapLast).as("live heap (MB), last third vs first third").isLessThanOrEqualTo(heapFirst * 1.5 + 16);
        assertThat(backlogLast).as("backlog, last third vs first third").isLessThanOrEqualTo(Math.max(300, backlogFirst * 3));
    }

    private static Sample sample(ServiceProcess service, ProductWriter writer, long second) throws Exception {
        Process gc = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(service.pid()), "GC.run").redirectErrorStream(true).start();
        gc.getInputStream().readAllBytes();
        gc.waitFor();
        Scrape scrape = Scrape.of(service.metrics());
        double heap = 0;
        for (String line : service.metrics().split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                heap += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return new Sample(second, heap / 1024 / 1024, scrape.valueOrZero("cdc_pending_changes", Map.of("table", "products")),
                scrape.valueOrZero("cdc_sync_failures", Map.of("config", "soak", "status", "retrying")),
                scrape.valueOrZero("cdc_sync_failures", Map.of("config", "soak", "status", "dead")), writer.ops());
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static void write(List<Sample> samples, Duration length, long changes, int documents) throws IOException {
        StringBuilder md = new StringBuilder("# Soak result\n\n")
                .append("Run ").append(Instant.now()).append(", ").append(length.toMinutes()).append(" min, ")
                .append(changes).append(" captured changes, ").append(documents).append(" documents at the end (exact).\n\n")
                .append("| minute | live heap MB (after GC) | pending | retrying | dead | writes so far |\n|---|---|---|---|---|---|\n");
        for (Sample s : samples) {
            md.append(String.format("| %d | %.1f | %.0f | %.0f | %.0f | %d |%n", s.second() / 60, s.liveHeapMb(), s.pending(), s.retrying(),
                    s.dead(), s.writes()));
        }
        Path out = Path.of("target", "soak", "result.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md.toString());
        System.out.println(md);
    }
}
