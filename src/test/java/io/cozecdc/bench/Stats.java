package io.cozecdc.bench;

import java.util.Arrays;
import java.util.Collection;

/** Order statistics of a sample (nearest-rank percentiles) and a median of rates. */
final class Stats {

    private final double[] sorted;

    private Stats(double[] values) {
        this.sorted = values.clone();
        Arrays.sort(sorted);
    }

    static Stats of(Collection<? extends Number> values) {
        return new Stats(values.stream().mapToDouble(Number::doubleValue).toArray());
    }

    static Stats of(double[] values) {
        return new Stats(values);
    }

    int count() {
        return sorted.length;
    }

    /** Nearest-rank percentile, {@code p} in 0..100; NaN for an empty sample. */
    double percentile(double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    double median() {
        return percentile(50);
    }

    double max() {
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
    }

    double mean() {
        return sorted.length == 0 ? Double.NaN : Arrays.stream(sorted).average().orElse(Double.NaN);
    }
}
