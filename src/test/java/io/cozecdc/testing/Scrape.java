package io.cozecdc.testing;

import static io.restassured.RestAssured.given;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One scrape of /q/metrics, read the way Prometheus reads it. */
public final class Scrape {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final String text;

    private Scrape(String text) {
        this.text = text;
    }

    /** A scrape of metrics text fetched elsewhere (e.g. from a service process). */
    public static Scrape of(String text) {
        return new Scrape(text);
    }

    public static Scrape now() {
        return new Scrape(given().get("/q/metrics").then().statusCode(200).extract().asString());
    }

    /** The value of the sample with this name and at least these labels; null when there is none. */
    public Double value(String name, Map<String, String> labels) {
        for (String line : text.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (m.matches() && m.group(1).equals(name) && hasLabels(m.group(3), labels)) {
                return Double.parseDouble(m.group(4));
            }
        }
        return null;
    }

    /** True when the name is a sample, or the family of histogram/summary samples (_bucket, _count, _sum). */
    public boolean exports(String name) {
        return java.util.stream.Stream.of("", "_bucket", "_count", "_sum")
                .anyMatch(suffix -> value(name + suffix, Map.of()) != null);
    }

    /** Like {@link #value} but 0 when the sample is absent (a counter not yet created). */
    public double valueOrZero(String name, Map<String, String> labels) {
        Double v = value(name, labels);
        return v == null ? 0 : v;
    }

    private static boolean hasLabels(String labelText, Map<String, String> wanted) {
        if (wanted.isEmpty()) {
            return true;
        }
        if (labelText == null) {
            return false;
        }
        Map<String, String> found = new java.util.HashMap<>();
        Matcher m = LABEL.matcher(labelText);
        while (m.find()) {
            found.put(m.group(1), m.group(2));
        }
        return wanted.entrySet().stream().allMatch(e -> e.getValue().equals(found.get(e.getKey())));
    }
}
