package io.cozecdc.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one scenario measured: figures (a markdown table row and a JSON value each), the targets it is
 * judged against, notes on method, and preformatted blocks (query plans).
 */
final class ScenarioResult {

    /** A target from the issue and how the run compares. */
    record Target(String name, String measured, String threshold, boolean met) {
    }

    /** One line of the scenario's table. */
    record Row(String figure, String value) {
    }

    final String id;
    final String title;
    final List<Row> rows = new ArrayList<>();
    final Map<String, Object> data = new LinkedHashMap<>();
    final List<Target> targets = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    final Map<String, String> blocks = new LinkedHashMap<>();
    String error;
    double seconds;
    String load = "unknown";

    ScenarioResult(String id, String title) {
        this.id = id;
        this.title = title;
    }

    /** A figure with a unit; stored under {@code key} in the JSON. */
    ScenarioResult figure(String key, String label, double value, String unit) {
        data.put(key, round(value));
        rows.add(new Row(label, format(value) + (unit.isEmpty() ? "" : " " + unit)));
        return this;
    }

    /** A figure shown as text (a yes/no, a setting); stored as is. */
    ScenarioResult text(String key, String label, Object value) {
        data.put(key, value);
        rows.add(new Row(label, String.valueOf(value)));
        return this;
    }

    /** A value for the JSON only (series, details). */
    ScenarioResult json(String key, Object value) {
        data.put(key, value);
        return this;
    }

    /** A target; {@code met} decides, the strings are for people. */
    ScenarioResult target(String name, double measured, String unit, String threshold, boolean met) {
        targets.add(new Target(name, format(measured) + (unit.isEmpty() ? "" : " " + unit), threshold, met));
        return this;
    }

    ScenarioResult note(String text) {
        notes.add(text);
        return this;
    }

    ScenarioResult block(String title, String text) {
        blocks.put(title, text);
        return this;
    }

    static double round(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return v;
        }
        double abs = Math.abs(v);
        double scale = abs >= 100 ? 10 : abs >= 1 ? 1000 : 100000;
        return Math.round(v * scale) / scale;
    }

    static String format(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        double abs = Math.abs(v);
        if (abs >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (abs >= 100) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (abs >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
