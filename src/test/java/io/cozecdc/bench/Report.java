package io.cozecdc.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Collects the scenarios' results and writes {@code results.md} and {@code results.json} under the
 * output directory after every scenario, so a run that dies late still leaves what it measured.
 */
final class Report {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final BenchSettings settings;
    private final Map<String, Object> machine;
    private final Instant started = Instant.now();
    private final List<ScenarioResult> results = new ArrayList<>();

    Report(BenchSettings settings, Map<String, Object> machine) {
        this.settings = settings;
        this.machine = machine;
    }

    synchronized void add(ScenarioResult result) {
        results.add(result);
        write();
    }

    synchronized void write() {
        try {
            Files.createDirectories(settings.outputDir());
            Files.writeString(settings.outputDir().resolve("results.md"), markdown());
            Files.writeString(settings.outputDir().resolve("results.json"), JSON.writeValueAsString(json()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path markdownFile() {
        return settings.outputDir().resolve("results.md");
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# coze-cdc benchmark results (").append(settings.mode()).append(" mode)\n\n");
        md.append("Run started ").append(started).append(". Machine: ");
        List<String> parts = new ArrayList<>();
        machine.forEach((k, v) -> parts.add(k + " " + v));
        md.append(String.join("; ", parts)).append(".\n\n");
        if (!BenchRun.serviceOverrides().isEmpty()) {
            md.append("Settings given to every service of this run: ").append(BenchRun.serviceOverrides()).append(".\n\n");
        }
        md.append("## Targets\n\n| scenario | target | measured | threshold | met |\n|---|---|---|---|---|\n");
        for (ScenarioResult r : results) {
            for (ScenarioResult.Target t : r.targets) {
                md.append("| ").append(r.id).append(" | ").append(t.name()).append(" | ").append(t.measured()).append(" | ")
                        .append(t.threshold()).append(" | ").append(t.met() ? "yes" : "**no**").append(" |\n");
            }
            if (r.error != null) {
                md.append("| ").append(r.id).append(" | (scenario failed) | ").append(oneLine(r.error)).append(" | | **no** |\n");
            }
        }
        for (ScenarioResult r : results) {
            md.append("\n## ").append(r.title).append(" (`").append(r.id).append("`, ")
                    .append(ScenarioResult.format(r.seconds)).append(" s, load average at its start ").append(r.load).append(")\n\n");
            if (r.error != null) {
                md.append("**Failed:** ").append(oneLine(r.error)).append("\n\n");
            }
            if (!r.rows.isEmpty()) {
                md.append("| figure | value |\n|---|---|\n");
                for (ScenarioResult.Row row : r.rows) {
                    md.append("| ").append(row.figure()).append(" | ").append(row.value()).append(" |\n");
                }
                md.append('\n');
            }
            for (String note : r.notes) {
                md.append("- ").append(note).append('\n');
            }
            r.blocks.forEach((title, text) -> md.append("\n").append(title).append(":\n\n```\n").append(text.strip()).append("\n```\n"));
        }
        return md.toString();
    }

    private Map<String, Object> json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("mode", settings.mode());
        root.put("started", started.toString());
        root.put("machine", machine);
        root.put("service_overrides", BenchRun.serviceOverrides());
        Map<String, Object> scenarios = new LinkedHashMap<>();
        for (ScenarioResult r : results) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("title", r.title);
            s.put("seconds", ScenarioResult.round(r.seconds));
            s.put("load_average_at_start", r.load);
            if (r.error != null) {
                s.put("error", r.error);
            }
            s.put("figures", r.data);
            s.put("targets", r.targets);
            s.put("notes", r.notes);
            s.put("blocks", r.blocks);
            scenarios.put(r.id, s);
        }
        root.put("scenarios", scenarios);
        return root;
    }

    /** The first line of an error, short enough for a table cell; the full text is in the JSON. */
    private static String oneLine(String s) {
        String first = s.lines().findFirst().orElse("").replace("|", "/");
        return first.length() > 300 ? first.substring(0, 300) + "…" : first;
    }
}
