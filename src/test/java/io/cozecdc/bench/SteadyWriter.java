package io.cozecdc.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes at a steady rate for a while, open loop: operation k is due at start + k ÷ rate whatever
 * happened to the ones before it, so a slow database shows as missed rate instead of being hidden.
 * Several threads with a connection each share the schedule. Each write's latency is recorded.
 */
final class SteadyWriter {

    /** One database write; returns the rows it changed. */
    interface Write {
        int apply(Connection connection) throws SQLException;
    }

    /** Picks the next write (called concurrently). */
    interface Mix {
        Write next();
    }

    /** One finished write: when it started (epoch ms) and how long it took (ms). */
    record Sample(double startedAtMillis, double latencyMillis) {
    }

    /** What a run did. */
    record Result(long writes, long rowsChanged, double seconds, List<Sample> samples, long failures) {
        double rate() {
            return writes / seconds;
        }
    }

    private final BenchDatabase db;
    private final int threads;

    SteadyWriter(BenchDatabase db, int threads) {
        this.db = db;
        this.threads = threads;
    }

    /** Writes at {@code rate} per second for {@code duration}; returns when the last write is done. */
    Result run(double rate, Duration duration, Mix mix) throws InterruptedException {
        return run(rate, duration, mix, () -> false);
    }

    /** As {@link #run(double, Duration, Mix)}, but also stops early when {@code stop} says so. */
    Result run(double rate, Duration duration, Mix mix, java.util.function.BooleanSupplier stop) throws InterruptedException {
        long intervalNanos = (long) (1e9 / rate);
        long start = System.nanoTime() + 20_000_000L;
        long end = start + duration.toNanos();
        AtomicLong next = new AtomicLong();
        AtomicLong rows = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
        long epochOffsetNanos = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
        List<Thread> workers = new ArrayList<>();
        List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                try (Connection c = db.connect()) {
                    while (true) {
                        long due = start + next.getAndIncrement() * intervalNanos;
                        if (due >= end || stop.getAsBoolean()) {
                            return;
                        }
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            LockSupport.parkNanos(wait);
                        }
                        Write write = mix.next();
                        long began = System.nanoTime();
                        try {
                            rows.addAndGet(write.apply(c));
                        } catch (SQLException e) {
                            failures.incrementAndGet();
                        }
                        long took = System.nanoTime() - began;
                        samples.add(new Sample((began + epochOffsetNanos) / 1e6, took / 1e6));
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }, "bench-writer-" + t);
            worker.start();
            workers.add(worker);
        }
        for (Thread worker : workers) {
            worker.join();
        }
        if (!errors.isEmpty()) {
            throw new IllegalStateException("writer failed", errors.get(0));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(samples.size(), rows.get(), seconds, List.copyOf(samples), failures.get());
    }
}
