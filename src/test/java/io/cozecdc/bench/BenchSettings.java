package io.cozecdc.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What one benchmark run does, from system properties: {@code bench.mode} ({@code quick}, the
 * default, or {@code full}) and {@code bench.scenarios} (comma-separated ids, or {@code all}). Sizes and
 * durations of each scenario depend on the mode; every one of them can be overridden with
 * {@code -Dbench.<name>=<value>} (e.g. {@code -Dbench.drain.rows=20000}), which the report records.
 */
public record BenchSettings(boolean full, Set<String> scenarios, Path outputDir) {

    /** Every scenario, in the order a run executes them. */
    public static final List<String> ALL = List.of("drain", "lag", "triggers", "backlog", "scaleout", "cleanup", "fanout");

    public static BenchSettings fromSystemProperties() {
        String mode = System.getProperty("bench.mode", "quick").trim().toLowerCase(Locale.ROOT);
        if (!mode.equals("quick") && !mode.equals("full")) {
            throw new IllegalArgumentException("bench.mode must be quick or full, not " + mode);
        }
        String list = System.getProperty("bench.scenarios", "all").trim().toLowerCase(Locale.ROOT);
        Set<String> chosen = new LinkedHashSet<>();
        if (list.isEmpty() || list.equals("all")) {
            chosen.addAll(ALL);
        } else {
            for (String s : list.split(",")) {
                String id = s.trim();
                if (!ALL.contains(id)) {
                    throw new IllegalArgumentException("unknown scenario '" + id + "'; known: " + String.join(", ", ALL));
                }
                chosen.add(id);
            }
        }
        Path out = Path.of(System.getProperty("bench.output", "target/bench")).toAbsolutePath();
        return new BenchSettings(mode.equals("full"), chosen, out);
    }

    public String mode() {
        return full ? "full" : "quick";
    }

    public boolean selected(String scenario) {
        return scenarios.contains(scenario);
    }

    /** An integer size: the override {@code bench.<key>} if given, else the quick or full value. */
    public int size(String key, int quick, int fullValue) {
        String override = System.getProperty("bench." + key);
        return override != null ? Integer.parseInt(override.trim()) : full ? fullValue : quick;
    }

    /** A duration in seconds: the override {@code bench.<key>} (seconds) if given, else the quick or full value. */
    public Duration seconds(String key, int quick, int fullValue) {
        return Duration.ofSeconds(size(key, quick, fullValue));
    }
}
