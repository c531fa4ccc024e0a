package io.cozecdc.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.cozecdc.testing.process.ServiceProcess;

/**
 * Scenario 6: the cleanup of processed change-log rows (a million in full mode, all past the 7-day
 * retention) run through the API while product writes continue at a steady rate and the service keeps
 * syncing them: how long it takes, and what it does to the writes' latency and to the sync lag.
 */
final class CleanupScenario implements Scenario {

    @Override
    public String id() {
        return "cleanup";
    }

    @Override
    public String title() {
        return "6. Cleanup under load";
    }

    @Override
    public void run(BenchRun run, ScenarioResult r) throws Exception {
        int rows = run.settings.size("cleanup.rows", 30_000, 1_000_000);
        int rate = run.settings.size("cleanup.write-rate", 200, 200);
        Duration before = run.settings.seconds("cleanup.before-seconds", 3, 30);
        int seed = 500;
        run.resetData();
        run.coze.latency(Duration.ofMillis(50));
        Workload.insertChangeRows(run.sql(), run.tag(), rows, 8);
        int seedTag = run.tag();
        Workload.insertProducts(run.sql(), seedTag, 0, seed, true);
        ProductWrites mix = new ProductWrites(run.tag(), 0, 50, 40);
        mix.addLive(seedTag, 0, seed);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<SteadyWriter.Result> written = new AtomicReference<>();
        AtomicReference<Throwable> writerError = new AtomicReference<>();
        long writesFrom;
        long cleanupFrom;
        long cleanupTo;
        long removed;
        long firstLogId;
        Map<String, Long> locksBefore;
        Map<String, Long> locksAfter;
        try (ServiceProcess service = run.service("cleanup", Map.of()).start()) {
            Progress.await("cleanup seed", run.coze::documentsCreated, seed, Duration.ofMinutes(1), service);
            firstLogId = run.sql().count("SELECT COALESCE(MAX(id), 0) FROM data_change_logs");
            Thread writer = new Thread(() -> {
                try {
                    written.set(new SteadyWriter(run.db, 4).run(rate, Duration.ofHours(2), mix, stop::get));
                } catch (Throwable e) {
                    writerError.set(e);
                }
            }, "bench-cleanup-writer");
            writesFrom = System.currentTimeMillis();
            writer.start();
            Progress.sleep(before.toMillis());
            locksBefore = rowLocks(run);
            cleanupFrom = System.currentTimeMillis();
            removed = service.api().post("/api/v1/maintenance/cleanup").then().statusCode(200).extract().jsonPath().getLong("removed");
            cleanupTo = System.currentTimeMillis();
            locksAfter = rowLocks(run);
            Progress.sleep(2000);
            stop.set(true);
            writer.join();
            if (writerError.get() != null) {
                throw new IllegalStateException("writer failed", writerError.get());
            }
            Progress.await("cleanup drain", () -> {
                long pending = run.pending();
                return pending == 0 ? 1 : -pending;
            }, 1, Duration.ofMinutes(1), service);
            Progress.sleep(1500);
            service.terminate(Duration.ofSeconds(30));
        }
        // writes: skip the first second (connections warming up)
        Stats beforeStats = latencies(written.get(), writesFrom + 1000, cleanupFrom);
        Stats duringStats = latencies(written.get(), cleanupFrom, cleanupTo);
        double seconds = (cleanupTo - cleanupFrom) / 1000.0;
        List<Deliveries.Change> changes = Deliveries.changes(run.sql(), firstLogId, Long.MAX_VALUE);
        var events = run.coze.events();
        Stats lagBefore = Stats.of(Deliveries.lags(changes.stream().filter(c -> c.capturedMillis() < cleanupFrom).toList(),
                events, run.dataset).millis());
        Stats lagDuring = Stats.of(Deliveries.lags(changes.stream()
                .filter(c -> c.capturedMillis() >= cleanupFrom && c.capturedMillis() <= cleanupTo).toList(), events, run.dataset).millis());

        r.figure("rows", "processed rows past the retention", rows, "rows");
        r.figure("removed", "rows the cleanup removed", removed, "rows");
        r.figure("cleanup_seconds", "**cleanup time**", seconds, "s");
        r.figure("cleanup_rows_per_s", "cleanup rate", removed / seconds, "rows/s");
        r.figure("write_rate", "steady product writes during the run", rate, "writes/s (50 % insert, 40 % update, 10 % delete)");
        r.figure("write_p50_before_ms", "write latency p50 before", beforeStats.percentile(50), "ms");
        r.figure("write_p50_during_ms", "write latency p50 during the cleanup", duringStats.percentile(50), "ms");
        r.figure("write_p99_before_ms", "write latency p99 before", beforeStats.percentile(99), "ms");
        r.figure("write_p99_during_ms", "write latency p99 during the cleanup", duringStats.percentile(99), "ms");
        r.figure("ratio_write_p99_during_over_before", "**write p99 during ÷ before**",
                duringStats.percentile(99) / beforeStats.percentile(99), "×");
        r.figure("write_max_during_ms", "slowest write during the cleanup", duringStats.max(), "ms");
        r.figure("writes_during", "writes measured during the cleanup", duringStats.count(), "");
        r.figure("row_lock_waits", "InnoDB row-lock waits during the cleanup",
                locksAfter.get("Innodb_row_lock_waits") - locksBefore.get("Innodb_row_lock_waits"), "");
        r.figure("row_lock_time_ms", "InnoDB row-lock wait time during the cleanup",
                locksAfter.get("Innodb_row_lock_time") - locksBefore.get("Innodb_row_lock_time"), "ms");
        r.figure("sync_lag_p99_before_ms", "sync lag p99 before", lagBefore.percentile(99), "ms");
        r.figure("sync_lag_p99_during_ms", "sync lag p99 of changes captured during the cleanup", lagDuring.percentile(99), "ms");
        r.note("The cleanup runs through POST /api/v1/maintenance/cleanup (procedure cleanup_processed_changes_older_than, "
                + "1 000-row chunks, each its own transaction) while 4 connections write products on an open-loop schedule "
                + "and the service keeps syncing them (Coze fake at 50 ms).");
        r.note("Write latency is each statement's own time (autocommit, triggers included); 'before' is the " + before.toSeconds()
                + " s of writes before the cleanup started, minus the first second.");
    }

    private static Stats latencies(SteadyWriter.Result result, long fromMillis, long toMillis) {
        return Stats.of(result.samples().stream().filter(s -> s.startedAtMillis() >= fromMillis && s.startedAtMillis() < toMillis)
                .map(SteadyWriter.Sample::latencyMillis).toList());
    }

    private static Map<String, Long> rowLocks(BenchRun run) {
        Map<String, Long> values = new java.util.HashMap<>();
        for (Map<String, Object> row : run.sql().query("SHOW GLOBAL STATUS LIKE 'Innodb_row_lock%'")) {
            values.put((String) row.get("Variable_name"), Long.parseLong(String.valueOf(row.get("Value"))));
        }
        return values;
    }
}
