package io.cozecdc.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Heap figures from a unified GC log ({@code -Xlog:gc:file=…}): every pause line reads
 * {@code <used before>-><used after>(<committed>)}. The largest "before" is the peak heap use (the heap
 * is fullest just before a collection); the largest "after" is the most the service really kept.
 */
record GcLog(int collections, double peakUsedMb, double maxLiveMb, double maxCommittedMb, double pauseMillis) {

    private static final Pattern PAUSE = Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)(?:\\s+([\\d.]+)ms)?");

    static GcLog parse(Path file) throws IOException {
        int count = 0;
        double before = 0;
        double after = 0;
        double committed = 0;
        double pauses = 0;
        for (String line : Files.readAllLines(file)) {
            Matcher m = PAUSE.matcher(line);
            if (!line.contains("Pause") || !m.find()) {
                continue;
            }
            count++;
            before = Math.max(before, mb(m.group(1), m.group(2)));
            after = Math.max(after, mb(m.group(3), m.group(4)));
            committed = Math.max(committed, mb(m.group(5), m.group(6)));
            if (m.group(7) != null) {
                pauses += Double.parseDouble(m.group(7));
            }
        }
        return new GcLog(count, before, after, committed, pauses);
    }

    private static double mb(String value, String unit) {
        double v = Double.parseDouble(value);
        return switch (unit) {
            case "K" -> v / 1024;
            case "G" -> v * 1024;
            default -> v;
        };
    }
}
