package io.cozecdc.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.cozecdc.testing.coze.FakeCoze;
import io.cozecdc.testing.coze.FakeCoze.Endpoint;
import io.cozecdc.testing.process.ServiceProcess;

/**
 * Scenario 1: how fast a backlog of product inserts reaches Coze (50 ms per call) with the default
 * settings, against a seed-like client (one document per call, one call at a time, 100 rows per poll,
 * 1 s poll interval) and against the physical limit max-concurrency × 10 ÷ latency.
 */
final class DrainScenario implements Scenario {

    static final Duration LATENCY = Duration.ofMillis(50);
    /** coze.max-concurrency and coze.rate-limit-per-second defaults (CozeSettings). */
    static final int DEFAULT_CONCURRENCY = 4;
    static final double DEFAULT_RATE_LIMIT = 100;

    @Override
    public String id() {
        return "drain";
    }

    @Override
    public String title() {
        return "1. Drain throughput";
    }

    @Override
    public void run(BenchRun run, ScenarioResult r) throws Exception {
        BenchSettings s = run.settings;
        int rows = s.size("drain.rows", 2_000, 50_000);
        Duration window = s.seconds("drain.baseline-seconds", 5, 120);
        double physical = DEFAULT_CONCURRENCY * 10 / (LATENCY.toMillis() / 1000.0);

        run.resetData();
        run.coze.latency(LATENCY);
        double ceiling = FakeCeiling.measure(run.coze, run.dataset, DEFAULT_CONCURRENCY, 10, s.seconds("drain.ceiling-seconds", 2, 10));

        Variant defaults = drainAll(run, "default", Map.of(), rows);
        Variant unlimited = drainAll(run, "no-rate-limit", Map.of("coze.rate-limit-per-second", "100000"), rows);
        Variant noIntents = drainAll(run, "no-intents", Map.of("cdc.intents.enabled", "false"), rows);
        Map<String, String> seed = new LinkedHashMap<>();
        seed.put("coze.documents-per-create", "1");
        seed.put("coze.max-concurrency", "1");
        seed.put("cdc.poll.config-concurrency", "1");
        seed.put("cdc.poll.parallel-batches", "1");
        seed.put("cdc.poll.batch-size", "100");
        seed.put("cdc.poll.interval", "1s");
        Variant baseline = drainWindow(run, "seed-like", seed, rows, window);
        int throttledRows = s.size("drain.throttled-rows", 1_000, 15_000);
        int quota = s.size("drain.quota", 30, 30);
        Throttled throttled = drainThrottled(run, throttledRows, quota);

        r.figure("backlog_rows", "backlog (product inserts, one change each)", rows, "changes");
        r.figure("coze_latency_ms", "Coze fake latency per call", LATENCY.toMillis(), "ms");
        r.figure("a_default_changes_per_s", "(a) default settings", defaults.rate, "changes/s");
        r.figure("b_seed_like_changes_per_s", "(b) seed-like baseline (1 doc/call, 1 call at a time, 1 batch at a time, 100 rows/poll, 1 s interval)",
                baseline.rate, "changes/s");
        r.figure("c_physical_limit_changes_per_s", "(c) physical limit: max-concurrency " + DEFAULT_CONCURRENCY + " × 10 ÷ "
                + LATENCY.toMillis() + " ms", physical, "changes/s");
        r.figure("ratio_a_over_b", "**a / b**", defaults.rate / baseline.rate, "×");
        r.figure("ratio_a_over_c", "**a / c**", defaults.rate / physical, "");
        r.figure("rate_limit_ceiling_changes_per_s", "ceiling set by the default client-side rate limit ("
                + (int) DEFAULT_RATE_LIMIT + " calls/s × 10)", DEFAULT_RATE_LIMIT * 10, "changes/s");
        r.figure("fake_ceiling_changes_per_s", "measured ceiling of the fake here (plain client, " + DEFAULT_CONCURRENCY
                + " calls of 10 in flight)", ceiling, "changes/s");
        r.figure("a2_no_rate_limit_changes_per_s", "(a′) default settings but rate limit lifted", unlimited.rate, "changes/s");
        r.figure("ratio_a2_over_c", "a′ / c", unlimited.rate / physical, "");
        r.figure("ratio_a2_over_fake_ceiling", "a′ / measured fake ceiling", unlimited.rate / ceiling, "");
        r.figure("e_no_intents_changes_per_s", "(e) default settings but create intents off (cdc.intents.enabled=false)",
                noIntents.rate, "changes/s");
        r.figure("ratio_a_over_e", "**a / e**: the drain with create intents ÷ without", defaults.rate / noIntents.rate, "");
        r.figure("a_drain_seconds", "(a) time to drain the backlog (first to last document)", defaults.seconds, "s");
        r.text("a_calls", "(a) Coze calls", "create " + defaults.creates + ", progress " + defaults.progress + ", delete "
                + defaults.deletes + ", list " + defaults.lists);
        r.figure("a2_machine_busy", "(a′) machine CPU busy during the drain (all processes, other users included)",
                100 * unlimited.machineBusy(), "%");
        r.figure("a2_service_cpu_per_1000", "(a′) CPU per 1 000 changes: service", unlimited.serviceCpuPerThousand(), "s");
        r.figure("a2_database_cpu_per_1000", "(a′) CPU per 1 000 changes: database", unlimited.databaseCpuPerThousand(), "s");
        r.figure("b_window_seconds", "(b) measured over the first", window.toSeconds(), "s of its drain");
        r.figure("d_quota_calls_per_s", "(d) Coze that accepts at most this many calls per second (429 + code 4013 beyond)",
                quota, "calls/s");
        r.figure("d_throttled_changes_per_s", "(d) default settings against that Coze (" + throttledRows + " inserts)",
                throttled.variant.rate, "changes/s");
        r.figure("ratio_d_over_quota", "(d) ÷ the quota's ceiling (" + quota + " calls/s × 10)",
                throttled.variant.rate / (quota * 10.0), "");
        r.figure("d_throttled_calls", "(d) calls Coze refused as over its quota", throttled.refused, "calls");
        r.figure("d_documents", "(d) documents at the end (one per row expected)", throttled.documents, "documents");
        r.figure("d_dead_letters", "(d) dead letters at the end", throttled.dead, "failures");
        r.json("variants", Map.of("default", defaults, "no_rate_limit", unlimited, "no_intents", noIntents,
                "seed_like", baseline, "throttled", throttled.variant));

        r.target("drain ≥ 80 % of the physical limit (a / c)", defaults.rate / physical, "", "≥ 0.80", defaults.rate / physical >= 0.8);
        r.target("create intents cost < 10 % of the drain (a / e)", defaults.rate / noIntents.rate, "", "> 0.90",
                defaults.rate / noIntents.rate > 0.9);
        r.target("drain ≥ 20× the seed-like baseline (a / b)", defaults.rate / baseline.rate, "×", "≥ 20", defaults.rate / baseline.rate >= 20);
        r.note("Throughput counts documents as the fake received them (CREATED events), first to last; every change is "
                + "a product insert, so one change is one document.");
        r.note("The backlog is loaded with one INSERT … SELECT before the service starts (the triggers write the change "
                + "rows); the clock starts at the first document, so startup is not counted.");
        r.note("The seed-like baseline would need hours for the whole backlog, so it is measured over a window of its "
                + "steady state; its rate does not depend on the backlog size.");
        r.note("(d) shows the adaptive rate: the service starts at its default ceiling (100 calls/s), Coze refuses what is "
                + "beyond its quota, the service halves its rate on those answers and climbs back while Coze accepts; the "
                + "refused changes wait in the retry queue and are replayed. Every row must still end as one document.");
    }

    /** Drains the whole backlog; rate from the first to the last document. */
    private Variant drainAll(BenchRun run, String name, Map<String, String> settings, int rows) {
        run.resetData();
        run.coze.latency(LATENCY);
        Workload.insertProducts(run.sql(), run.tag(), 0, rows, true);
        CpuMeter.Usage cpu;
        try (ServiceProcess service = run.service("drain-" + name, settings).start()) {
            CpuMeter meter = run.cpu(service);
            Progress.await("drain " + name, run.coze::documentsCreated, rows, Duration.ofMinutes(2), service);
            Progress.await("drain " + name + " (change log)", () -> rows - run.pending(), rows, Duration.ofMinutes(1), service);
            cpu = meter.stop();
            service.terminate(Duration.ofSeconds(30));
        }
        Timeline t = Timeline.created(run.coze, run.dataset);
        return Variant.of(name, t.rate(), t.spanSeconds(), t.count(), run.coze).with(cpu, rows);
    }

    /** Drains a backlog into a Coze with a quota; the rate, the refusals and the end state. */
    private Throttled drainThrottled(BenchRun run, int rows, int quota) {
        run.resetData();
        run.coze.latency(LATENCY).quota(quota);
        Workload.insertProducts(run.sql(), run.tag(), 0, rows, true);
        try (ServiceProcess service = run.service("drain-throttled", Map.of()).start()) {
            Progress.await("drain throttled", () -> run.coze.documents(run.dataset).size(), rows, Duration.ofMinutes(5), service);
            Progress.await("drain throttled (change log and retries)",
                    () -> rows - run.pending() - run.sql().count("SELECT COUNT(*) FROM sync_failures"), rows,
                    Duration.ofMinutes(2), service);
            service.terminate(Duration.ofSeconds(30));
        }
        long refused = run.coze.throttledCalls();
        int documents = run.coze.documents(run.dataset).size();
        long dead = run.sql().count("SELECT COUNT(*) FROM sync_failures WHERE status = 'DEAD'");
        run.coze.quota(0);
        Timeline t = Timeline.created(run.coze, run.dataset);
        return new Throttled(Variant.of("throttled", t.rate(), t.spanSeconds(), t.count(), run.coze), refused, documents, dead);
    }

    /** The throttled variant: its throughput, the calls Coze refused, documents and dead letters at the end. */
    record Throttled(Variant variant, long refused, int documents, long dead) {
    }

    /** Drains for a window after the first document; rate within the window. */
    private Variant drainWindow(BenchRun run, String name, Map<String, String> settings, int rows, Duration window) {
        run.resetData();
        run.coze.latency(LATENCY);
        Workload.insertProducts(run.sql(), run.tag(), 0, rows, true);
        try (ServiceProcess service = run.service("drain-" + name, settings).start()) {
            Progress.await("drain " + name + " (first document)", run.coze::documentsCreated, 1, Duration.ofMinutes(1), service);
            Progress.sleep(window.toMillis() + 500);
            service.terminate(Duration.ofSeconds(30));
        }
        Timeline t = Timeline.created(run.coze, run.dataset);
        return Variant.of(name, t.rateWithin(window), window.toSeconds(), t.count(), run.coze);
    }

    /** One measured configuration. */
    record Variant(String name, double rate, double seconds, int documents, int creates, int progress, int deletes, int lists,
            double machineBusy, double serviceCpuPerThousand, double databaseCpuPerThousand) {
        static Variant of(String name, double rate, double seconds, int documents, FakeCoze coze) {
            return new Variant(name, ScenarioResult.round(rate), ScenarioResult.round(seconds), documents,
                    coze.requestCount(Endpoint.CREATE), coze.requestCount(Endpoint.PROCESS), coze.requestCount(Endpoint.DELETE),
                    coze.requestCount(Endpoint.LIST), Double.NaN, Double.NaN, Double.NaN);
        }

        Variant with(CpuMeter.Usage cpu, int rows) {
            return new Variant(name, rate, seconds, documents, creates, progress, deletes, lists, ScenarioResult.round(cpu.machineBusy()),
                    ScenarioResult.round(cpu.cpuSeconds().getOrDefault("service", Double.NaN) * 1000 / rows),
                    ScenarioResult.round(cpu.cpuSeconds().getOrDefault("database", Double.NaN) * 1000 / rows));
        }
    }
}
