package io.cozecdc.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.cozecdc.testing.process.ServiceProcess;

/**
 * Scenario 4: a backlog of pending changes (a million in full mode) drained by one service with
 * {@code -Xmx256m}: peak heap (from the GC log), throughput of the first and last 10 % (the claim
 * query must stay index-served as the processed rows pile up in front of the pending ones), and the
 * time to drain. Coze answers at once and the client-side rate limit is lifted, so the service and the
 * database are what is measured.
 */
final class BacklogScenario implements Scenario {

    @Override
    public String id() {
        return "backlog";
    }

    @Override
    public String title() {
        return "4. Backlog and memory";
    }

    @Override
    public void run(BenchRun run, ScenarioResult r) throws Exception {
        int rows = run.settings.size("backlog.rows", 10_000, 1_000_000);
        run.resetData();
        long loadStart = System.nanoTime();
        Workload.insertChangeRows(run.sql(), run.tag(), rows, 0);
        double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
        run.sql().execute("ANALYZE TABLE data_change_logs");
        String planBefore = ClaimQuery.explain(run.sql());
        double claimBefore = ClaimQuery.millis(run.sql());
        Path gcLog = run.settings.outputDir().resolve("backlog-gc.log");
        Files.createDirectories(gcLog.getParent());
        Files.deleteIfExists(gcLog);
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("coze.rate-limit-per-second", "100000");
        String planLate;
        double claimLate;
        long peakRssKb;
        boolean outOfMemory;
        CpuMeter.Usage cpu;
        long drainStart = System.nanoTime();
        try (ServiceProcess service = run.service("backlog", settings)
                .jvmArgs("-Xmx256m", "-Xlog:gc:file=" + gcLog).start()) {
            CpuMeter meter = run.cpu(service);
            Progress.await("backlog 90 %", run.coze::documentsCreated, (long) (rows * 0.9), Duration.ofMinutes(2), service);
            planLate = ClaimQuery.explain(run.sql());
            claimLate = ClaimQuery.millis(run.sql());
            Progress.await("backlog", run.coze::documentsCreated, rows, Duration.ofMinutes(2), service);
            Progress.await("backlog (change log)", () -> rows - run.pending(), rows, Duration.ofMinutes(2), service);
            cpu = meter.stop();
            peakRssKb = peakRss(service.pid());
            outOfMemory = service.allLogs().contains("OutOfMemoryError");
            service.terminate(Duration.ofSeconds(30));
        }
        double wallSeconds = (System.nanoTime() - drainStart) / 1e9;
        Timeline t = Timeline.created(run.coze, run.dataset);
        GcLog gc = GcLog.parse(gcLog);
        double first = t.rateOfFirst(0.1);
        double last = t.rateOfLast(0.1);

        r.figure("rows", "pending changes at start", rows, "changes");
        r.figure("load_seconds", "loading them (INSERT … SELECT, 100 000 rows per statement)", loadSeconds, "s");
        r.figure("drain_seconds", "time to drain (first to last document)", t.spanSeconds(), "s");
        r.figure("drain_wall_seconds", "time from service start to drained", wallSeconds, "s");
        r.figure("rate_overall", "throughput overall", t.rate(), "changes/s");
        r.figure("rate_first_10", "throughput, first 10 %", first, "changes/s");
        r.figure("rate_last_10", "throughput, last 10 %", last, "changes/s");
        r.figure("ratio_last_over_first", "**last 10 % ÷ first 10 %**", last / first, "");
        r.figure("peak_heap_mb", "**peak heap used** (GC log, before collections; -Xmx256m)", gc.peakUsedMb(), "MB");
        r.figure("max_live_heap_mb", "largest heap left after a collection", gc.maxLiveMb(), "MB");
        r.figure("gc_collections", "garbage collections", gc.collections(), "");
        r.figure("gc_pause_ms", "total GC pause", gc.pauseMillis(), "ms");
        r.figure("peak_rss_mb", "peak resident memory of the process (VmHWM)", peakRssKb / 1024.0, "MB");
        r.figure("machine_busy", "machine CPU busy during the drain (all processes, other users included)", 100 * cpu.machineBusy(), "%");
        r.figure("service_cpu_per_1000", "CPU per 1 000 changes: service", cpu.cpuSeconds().getOrDefault("service", Double.NaN) * 1000 / rows, "s");
        r.figure("database_cpu_per_1000", "CPU per 1 000 changes: database", cpu.cpuSeconds().getOrDefault("database", Double.NaN) * 1000 / rows, "s");
        r.figure("claim_ms_before", "claim query read, before the drain", claimBefore, "ms");
        r.figure("claim_ms_late", "claim query read, at 90 % drained", claimLate, "ms");
        r.text("claim_key", "index the claim uses", ClaimQuery.keyUsed(run.sql()));
        r.block("EXPLAIN of the claim, before the drain (" + rows + " pending)", planBefore);
        r.block("EXPLAIN of the claim, at 90 % drained", planLate);
        r.target(String.format(java.util.Locale.ROOT, "%,d-change backlog drained under 256 MB heap", rows), gc.peakUsedMb(), "MB peak",
                "drained with -Xmx256m, no OutOfMemoryError", !outOfMemory);
        r.target("no slowdown: last 10 % ÷ first 10 % throughput", last / first, "", "≥ 0.90", last / first >= 0.9);
        r.note("Coze fake with no latency and coze.rate-limit-per-second lifted (otherwise the default 100 calls/s caps "
                + "the drain at 1 000 changes/s and the scenario measures the limiter); everything else at its default.");
        r.note("Rows are loaded straight into data_change_logs as the products insert trigger writes them; peak heap is "
                + "the largest 'before' figure of the pause lines in " + run.settings.outputDir().relativize(gcLog)
                + " (-Xlog:gc).");
        if (!run.settings.full()) {
            r.note("Quick mode drains " + rows + " rows; the 1 000 000-row figures are those of a full run.");
        }
    }

    private static long peakRss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
