package io.cozecdc.testing.coze;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.cozecdc.testing.coze.FakeCoze.Endpoint;
import io.cozecdc.testing.coze.FakeCoze.IdForm;

/** Request history, per-endpoint counters and the in-flight gauge of a {@link FakeCoze}. */
final class RequestLog {

    /** Ticket handed out when a request arrives; ties its later record to its arrival order. */
    record Arrival(long seq, long generation, Instant at, Endpoint endpoint) {
    }

    private final Object lock = new Object();
    private final MonotonicClock clock;
    private final TreeMap<Long, RecordedRequest> entries = new TreeMap<>();
    private final Map<Endpoint, Integer> counts = new EnumMap<>(Endpoint.class);
    private final Map<Endpoint, List<IdForm>> idForms = new EnumMap<>(Endpoint.class);
    private long nextSeq;
    private long generation;
    private int inFlight;
    private int maxInFlight;
    private boolean keepHistory = true;

    RequestLog(MonotonicClock clock) {
        this.clock = clock;
    }

    /** Counts a new request and marks it in flight. */
    Arrival arrive(Endpoint endpoint) {
        synchronized (lock) {
            counts.merge(endpoint, 1, Integer::sum);
            inFlight++;
            maxInFlight = Math.max(maxInFlight, inFlight);
            return new Arrival(nextSeq++, generation, clock.now(), endpoint);
        }
    }

    /** Whether finished requests are kept for {@link #requests()} (counters are kept either way). */
    void keepHistory(boolean keep) {
        synchronized (lock) {
            keepHistory = keep;
        }
    }

    /** Stores the finished record, unless a reset happened since the request arrived or history is off. */
    void record(Arrival arrival, RecordedRequest request) {
        synchronized (lock) {
            if (keepHistory && arrival.generation() == generation) {
                entries.put(arrival.seq(), request);
            }
        }
    }

    /** Marks the request as no longer in flight. */
    void depart() {
        synchronized (lock) {
            inFlight--;
        }
    }

    void recordIdForm(Endpoint endpoint, IdForm form) {
        synchronized (lock) {
            idForms.computeIfAbsent(endpoint, e -> new ArrayList<>()).add(form);
        }
    }

    List<RecordedRequest> requests() {
        synchronized (lock) {
            return List.copyOf(entries.values());
        }
    }

    int count(Endpoint endpoint) {
        synchronized (lock) {
            return counts.getOrDefault(endpoint, 0);
        }
    }

    int inFlight() {
        synchronized (lock) {
            return inFlight;
        }
    }

    int maxInFlight() {
        synchronized (lock) {
            return maxInFlight;
        }
    }

    List<IdForm> idForms(Endpoint endpoint) {
        synchronized (lock) {
            return List.copyOf(idForms.getOrDefault(endpoint, List.of()));
        }
    }

    /** Forgets history and counters; the high-water mark restarts from the requests still in flight. */
    void reset() {
        synchronized (lock) {
            generation++;
            entries.clear();
            counts.clear();
            idForms.clear();
            maxInFlight = inFlight;
        }
    }
}
