package io.cozecdc.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.cozecdc.testing.coze.FakeCoze;
import io.cozecdc.testing.coze.FakeEvent;

/**
 * When the fake received each document of a dataset (CREATED events, in time order): the source of
 * every throughput figure, so they count what reached Coze, not what the service says it did.
 */
final class Timeline {

    private final double[] millis;

    private Timeline(double[] millis) {
        this.millis = millis;
    }

    static Timeline created(FakeCoze coze, String dataset) {
        List<FakeEvent> events = coze.events();
        List<Double> times = new ArrayList<>();
        for (FakeEvent e : events) {
            if (e.type() == FakeEvent.Type.CREATED && e.datasetId().equals(dataset)) {
                times.add(e.at().toEpochMilli() + (e.at().getNano() % 1_000_000) / 1e6);
            }
        }
        double[] ms = times.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new Timeline(ms);
    }

    int count() {
        return millis.length;
    }

    double firstMillis() {
        return millis[0];
    }

    double lastMillis() {
        return millis[millis.length - 1];
    }

    double spanSeconds() {
        return millis.length < 2 ? Double.NaN : (lastMillis() - firstMillis()) / 1000;
    }

    /** Documents per second from the first to the last. */
    double rate() {
        return millis.length < 2 ? Double.NaN : (millis.length - 1) / spanSeconds();
    }

    /** Documents per second over the first {@code share} of the documents. */
    double rateOfFirst(double share) {
        int k = Math.max(1, (int) Math.round(millis.length * share));
        return k / ((millis[k] - millis[0]) / 1000);
    }

    /** Documents per second over the last {@code share} of the documents. */
    double rateOfLast(double share) {
        int k = Math.max(1, (int) Math.round(millis.length * share));
        int n = millis.length;
        return k / ((millis[n - 1] - millis[n - 1 - k]) / 1000);
    }

    /** Documents per second within {@code window} after the first. */
    double rateWithin(Duration window) {
        double end = millis[0] + window.toMillis();
        int inside = 0;
        for (double t : millis) {
            if (t <= end) {
                inside++;
            }
        }
        return inside / (window.toMillis() / 1000.0);
    }
}
