package io.cozecdc.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.cozecdc.testing.coze.FakeCoze;
import io.cozecdc.testing.process.ServiceProcess;

/**
 * Scenario 2: steady mixed writes (50 % inserts, 30 % updates, 20 % deletes of products) at 200, 500 and
 * 1 000 changes/s, default settings, Coze fake at 50 ms per call; lag from capture (created_at) to the
 * moment the fake received the document, and whether each rate is sustainable.
 */
final class LagScenario implements Scenario {

    static final Duration LATENCY = Duration.ofMillis(50);
    static final int[] RATES = {200, 500, 1000};

    @Override
    public String id() {
        return "lag";
    }

    @Override
    public String title() {
        return "2. End-to-end lag";
    }

    @Override
    public void run(BenchRun run, ScenarioResult r) throws Exception {
        Duration duration = run.settings.seconds("lag.seconds", 3, 60);
        int seed = run.settings.size("lag.seed-rows", 500, 2_000);
        run.resetData();
        run.coze.latency(LATENCY);
        int seedTag = run.tag();
        Workload.insertProducts(run.sql(), seedTag, 0, seed, true);
        ProductWrites mix = new ProductWrites(run.tag(), 0, 50, 30);
        mix.addLive(seedTag, 0, seed);
        SteadyWriter writer = new SteadyWriter(run.db, 8);
        List<Map<String, Object>> perRate = new ArrayList<>();
        r.figure("coze_latency_ms", "Coze fake latency per call", LATENCY.toMillis(), "ms");
        r.figure("seconds_per_rate", "writes per rate", duration.toSeconds(), "s (50 % insert, 30 % update, 20 % delete)");
        try (ServiceProcess service = run.service("lag", Map.of()).start();
                BacklogSampler backlog = new BacklogSampler(run.db, 250)) {
            Progress.await("lag seed", run.coze::documentsCreated, seed, Duration.ofMinutes(1), service);
            Progress.await("lag seed (change log)", () -> seed - run.pending(), seed, Duration.ofMinutes(1), service);
            for (int rate : RATES) {
                double p99 = measure(run, r, service, backlog, writer, mix, rate, duration, "", perRate);
                if (rate == 500) {
                    r.target("p99 lag at 500 changes/s", p99, "ms", "≤ 400 ms", p99 <= 400);
                }
            }
            service.terminate(Duration.ofSeconds(30));
        }
        // the same 500/s with twice the calls in flight: what the default concurrency costs in the tail
        try (ServiceProcess service = run.service("lag-concurrency-8", Map.of("coze.max-concurrency", "8")).start();
                BacklogSampler backlog = new BacklogSampler(run.db, 250)) {
            // a fresh JVM: warm it up as the first service was by the 200/s run before its 500/s one
            writer.run(200, duration, mix);
            awaitDrained(run, service);
            double p99 = measure(run, r, service, backlog, writer, mix, 500, duration, "8 calls in flight, ", perRate);
            r.target("p99 lag at 500 changes/s, 8 calls in flight (what-if)", p99, "ms", "≤ 400 ms", p99 <= 400);
            service.terminate(Duration.ofSeconds(30));
        }
        r.json("rates", perRate);
        r.note("Lag = the instant the fake received the document carrying the change (or a newer one of the same row: "
                + "coalescing folds them) minus the change's created_at; for a delete, the instant the row's last document "
                + "was deleted. Same host clock on both sides.");
        r.note("Sustainable = the captured rate reached 95 % of the target, the backlog stayed at or under 2 s worth of "
                + "changes during the second half of the run, and it was back to zero within 10 s after the writes stopped.");
        r.note("The what-if pass runs a second service with coze.max-concurrency=8 (default 4), warmed up by writes at "
                + "200/s for the same duration first; everything else at its default.");
        r.note("Writes are single-row autocommit statements from 8 connections on an open-loop schedule; updates and "
                + "deletes hit random live products (seeded with " + seed + " synced products).");
    }

    /** Writes at one rate for the duration, waits for the backlog to drain, and reports; returns the p99 lag. */
    private static double measure(BenchRun run, ScenarioResult r, ServiceProcess service, BacklogSampler backlog, SteadyWriter writer,
            ProductWrites mix, int rate, Duration duration, String variant, List<Map<String, Object>> perRate) throws InterruptedException {
        long before = maxId(run);
        int[] callsBefore = calls(run);
        long questionsBefore = questions(run);
        long started = System.currentTimeMillis();
        SteadyWriter.Result written = writer.run(rate, duration, mix);
        long stopped = System.currentTimeMillis();
        long after = maxId(run);
        long drainedAt = awaitDrained(run, service);
        Progress.sleep(1500); // deletes of the last batch
        int[] callsAfter = calls(run);
        long statements = questions(run) - questionsBefore;
        List<Deliveries.Change> changes = Deliveries.changes(run.sql(), before, after);
        Deliveries.Lags lags = Deliveries.lags(changes, run.coze.events(), run.dataset);
        Stats stats = Stats.of(lags.millis());
        double captured = changes.size() / ((stopped - started) / 1000.0);
        long secondHalfMax = backlog.maxBetween(started + (stopped - started) / 2, stopped);
        double drainSeconds = (drainedAt - stopped) / 1000.0;
        boolean rateMet = captured >= 0.95 * rate;
        boolean bounded = secondHalfMax <= 2L * rate;
        boolean drained = drainSeconds <= 10;
        boolean sustainable = rateMet && bounded && drained;
        String p = (variant.isEmpty() ? "" : "unlimited_") + "r" + rate + "_";
        String label = rate + "/s" + (variant.isEmpty() ? "" : " (" + variant.replaceAll(", $", "") + ")") + ": ";
        r.figure(p + "captured_per_s", label + "captured changes", captured, "changes/s");
        r.figure(p + "p50_ms", label + "lag p50", stats.percentile(50), "ms");
        r.figure(p + "p95_ms", label + "lag p95", stats.percentile(95), "ms");
        r.figure(p + "p99_ms", label + "**lag p99**", stats.percentile(99), "ms");
        r.figure(p + "max_ms", label + "lag max", stats.max(), "ms");
        r.figure(p + "backlog_second_half_max", label + "largest backlog, second half", secondHalfMax, "changes");
        r.figure(p + "drain_after_s", label + "backlog gone after the writes stopped", drainSeconds, "s");
        int totalCalls = 0;
        Map<String, Integer> calls = new LinkedHashMap<>();
        for (FakeCoze.Endpoint e : ENDPOINTS) {
            int n = callsAfter[e.ordinal()] - callsBefore[e.ordinal()];
            calls.put(e.name().toLowerCase(java.util.Locale.ROOT), n);
            totalCalls += n;
        }
        r.figure(p + "coze_calls_per_s", label + "Coze calls per second (" + calls + ")",
                totalCalls / ((drainedAt - started) / 1000.0), "calls/s");
        r.figure(p + "statements_per_change", label + "database statements per change (all clients, the write itself included)",
                (double) statements / Math.max(1, changes.size()), "");
        r.text(p + "sustainable", label + "sustainable", sustainable ? "yes" : "no (" + reasons(rateMet, bounded, drained) + ")");
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("rate", rate);
        detail.put("variant", variant.isEmpty() ? "default" : "8 calls in flight");
        detail.put("changes", changes.size());
        detail.put("measured", stats.count());
        detail.put("unobservable", lags.unobservable());
        detail.put("writes", written.writes());
        detail.put("write_failures", written.failures());
        detail.put("writer_rate", ScenarioResult.round(written.rate()));
        detail.put("coze_calls", calls);
        perRate.add(detail);
        return stats.percentile(99);
    }

    private static String reasons(boolean rateMet, boolean bounded, boolean drained) {
        List<String> why = new ArrayList<>();
        if (!rateMet) {
            why.add("target rate missed");
        }
        if (!bounded) {
            why.add("backlog grew");
        }
        if (!drained) {
            why.add("slow to drain");
        }
        return String.join(", ", why);
    }

    private static final FakeCoze.Endpoint[] ENDPOINTS = {FakeCoze.Endpoint.CREATE, FakeCoze.Endpoint.DELETE,
        FakeCoze.Endpoint.PROCESS, FakeCoze.Endpoint.LIST};

    private static int[] calls(BenchRun run) {
        int[] counts = new int[FakeCoze.Endpoint.values().length];
        for (FakeCoze.Endpoint e : FakeCoze.Endpoint.values()) {
            counts[e.ordinal()] = run.coze.requestCount(e);
        }
        return counts;
    }

    /** Statements the server has run for clients so far (SHOW GLOBAL STATUS 'Questions'). */
    private static long questions(BenchRun run) {
        return Long.parseLong(String.valueOf(run.sql().query("SHOW GLOBAL STATUS LIKE 'Questions'").get(0).get("Value")));
    }

    private static long maxId(BenchRun run) {
        return run.sql().count("SELECT COALESCE(MAX(id), 0) FROM data_change_logs");
    }

    /** Waits until nothing is pending; returns the epoch ms it happened. */
    private static long awaitDrained(BenchRun run, ServiceProcess service) {
        Progress.await("lag drain", () -> {
            long pending = run.pending();
            return pending == 0 ? 1 : -pending;
        }, 1, Duration.ofMinutes(2), service);
        return System.currentTimeMillis();
    }
}
