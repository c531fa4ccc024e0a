package io.cozecdc.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.cozecdc.testing.coze.FakeDocument;
import io.cozecdc.testing.process.ServiceProcess;

/**
 * Scenario 5: two service instances on one database against one, Coze fake at 100 ms per call, default
 * settings: drain rate ratio, and no record with more than one document in the fake afterwards.
 */
final class ScaleOutScenario implements Scenario {

    static final Duration LATENCY = Duration.ofMillis(100);

    @Override
    public String id() {
        return "scaleout";
    }

    @Override
    public String title() {
        return "5. Scale-out";
    }

    @Override
    public void run(BenchRun run, ScenarioResult r) throws Exception {
        int rows = run.settings.size("scaleout.rows", 1_200, 30_000);
        Outcome one = drain(run, rows, 1);
        Outcome two = drain(run, rows, 2);
        double ratio = two.rate / one.rate;
        r.figure("rows", "backlog (product inserts)", rows, "changes");
        r.figure("coze_latency_ms", "Coze fake latency per call", LATENCY.toMillis(), "ms");
        r.figure("one_instance_changes_per_s", "one instance", one.rate, "changes/s");
        r.figure("two_instances_changes_per_s", "two instances", two.rate, "changes/s");
        r.figure("ratio_two_over_one", "**two ÷ one**", ratio, "×");
        r.figure("two_duplicate_records", "**records with more than one document** (two instances, after the drain)",
                two.duplicateRecords, "");
        r.figure("two_documents", "documents in the fake / rows (two instances)", two.documents, "/ " + rows);
        r.figure("two_extra_creates", "documents created beyond one per row (two instances)", two.created - rows, "");
        r.figure("one_duplicate_records", "records with more than one document (one instance)", one.duplicateRecords, "");
        r.figure("one_machine_busy", "machine CPU busy, one instance (all processes, other users included)", 100 * one.cpu.machineBusy(), "%");
        r.figure("two_machine_busy", "machine CPU busy, two instances", 100 * two.cpu.machineBusy(), "%");
        r.figure("one_service_cpu_per_1000", "service CPU per 1 000 changes, one instance", one.serviceCpuPerThousand(rows), "s");
        r.figure("two_service_cpu_per_1000", "service CPU per 1 000 changes, two instances (both)", two.serviceCpuPerThousand(rows), "s");
        r.figure("one_database_cpu_per_1000", "database CPU per 1 000 changes, one instance", one.databaseCpuPerThousand(rows), "s");
        r.figure("two_database_cpu_per_1000", "database CPU per 1 000 changes, two instances", two.databaseCpuPerThousand(rows), "s");
        r.target("two instances ≥ 1.7× one", ratio, "×", "≥ 1.7", ratio >= 1.7);
        r.target("zero duplicate documents (two instances)", two.duplicateRecords, "", "0", two.duplicateRecords == 0
                && two.documents == rows);
        r.note("Both instances run before the backlog is committed in one transaction, so they start draining together; "
                + "each has the default settings (4 calls in flight, at most 100 calls/s), so the ideal ratio is 2.");
        r.note("Duplicates are read from the fake's state: documents per record key (parsed from the document names), "
                + "counted once the pending rows are gone and the janitor has had time to delete losers.");
    }

    private Outcome drain(BenchRun run, int rows, int instances) throws Exception {
        run.resetData();
        run.coze.latency(LATENCY);
        List<ServiceProcess> services = new ArrayList<>();
        CpuMeter.Usage usage;
        try {
            for (int i = 0; i < instances; i++) {
                services.add(run.service("scaleout-" + instances + "-" + (char) ('a' + i),
                        Map.of("cdc.instance-id", "bench-" + (char) ('a' + i))).start());
            }
            ServiceProcess[] all = services.toArray(ServiceProcess[]::new);
            CpuMeter meter = run.cpu(all);
            Workload.insertProducts(run.sql(), run.tag(), 0, rows, true);
            Progress.await("scale-out x" + instances, run.coze::documentsCreated, rows, Duration.ofMinutes(2), all);
            Progress.await("scale-out x" + instances + " (change log)", () -> rows - run.pending(), rows, Duration.ofMinutes(1), all);
            usage = meter.stop();
            Progress.sleep(3000);
            for (ServiceProcess s : services) {
                s.terminate(Duration.ofSeconds(30));
            }
        } finally {
            services.forEach(ServiceProcess::close);
        }
        Timeline t = Timeline.created(run.coze, run.dataset);
        Map<String, Integer> perKey = new HashMap<>();
        List<FakeDocument> docs = run.coze.documents(run.dataset);
        for (FakeDocument d : docs) {
            perKey.merge(d.name().split(":", 6)[5], 1, Integer::sum);
        }
        int duplicates = (int) perKey.values().stream().filter(n -> n > 1).count();
        return new Outcome(t.rate(), docs.size(), (int) run.coze.documentsCreated(), duplicates, usage);
    }

    private record Outcome(double rate, int documents, int created, int duplicateRecords, CpuMeter.Usage cpu) {
        double serviceCpuPerThousand(int rows) {
            return cpu.cpuSeconds().entrySet().stream().filter(e -> e.getKey().startsWith("service"))
                    .mapToDouble(java.util.Map.Entry::getValue).sum() * 1000 / rows;
        }

        double databaseCpuPerThousand(int rows) {
            return cpu.cpuSeconds().getOrDefault("database", Double.NaN) * 1000 / rows;
        }
    }
}
