package io.cozecdc.bench;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The benchmark harness, run by failsafe in the {@code bench} profile after {@code package}:
 * {@code ./mvnw -Pbench verify [-Dbench.mode=quick|full] [-Dbench.scenarios=drain,lag,…]}. Each
 * scenario measures the packaged service as a real process against MariaDB and the Coze fake over
 * HTTP, and its figures go to {@code target/bench/results.md} and {@code results.json}. Figures are
 * printed, never asserted: a scenario fails only when it cannot measure (the service died, a drain got
 * stuck). See docs/benchmarks.md.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class Benchmarks {

    private static final BenchSettings SETTINGS = BenchSettings.fromSystemProperties();
    private static BenchRun run;

    @Test
    @Order(1)
    void drain() throws Exception {
        measure(new DrainScenario());
    }

    @Test
    @Order(2)
    void lag() throws Exception {
        measure(new LagScenario());
    }

    @Test
    @Order(3)
    void triggers() throws Exception {
        measure(new TriggerScenario());
    }

    @Test
    @Order(4)
    void backlog() throws Exception {
        measure(new BacklogScenario());
    }

    @Test
    @Order(5)
    void scaleout() throws Exception {
        measure(new ScaleOutScenario());
    }

    @Test
    @Order(6)
    void cleanup() throws Exception {
        measure(new CleanupScenario());
    }

    @Test
    @Order(7)
    void fanout() throws Exception {
        measure(new FanoutScenario());
    }

    @AfterAll
    static void finish() {
        if (run != null) {
            run.report.write();
            System.out.println("\n" + run.report.markdown());
            System.out.println("Benchmark results: " + run.report.markdownFile());
            run.close();
        }
    }

    private static void measure(Scenario scenario) throws Exception {
        assumeTrue(SETTINGS.selected(scenario.id()), "not selected in bench.scenarios");
        if (run == null) {
            run = BenchRun.start(SETTINGS);
        }
        ScenarioResult result = new ScenarioResult(scenario.id(), scenario.title());
        long started = System.nanoTime();
        System.out.printf("%n=== benchmark %s (%s mode) ===%n", scenario.id(), SETTINGS.mode());
        result.load = Machine.loadAverage();
        try {
            scenario.run(run, result);
        } catch (Exception | AssertionError e) {
            result.error = e.toString();
            throw e;
        } finally {
            result.seconds = (System.nanoTime() - started) / 1e9;
            run.report.add(result);
            System.out.printf("=== %s done in %.0f s ===%n", scenario.id(), result.seconds);
        }
    }
}
