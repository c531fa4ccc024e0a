package io.cozecdc.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Samples the pending change count every {@code periodMillis} on a connection of its own, until closed. */
final class BacklogSampler implements AutoCloseable {

    /** One sample: epoch ms and pending rows. */
    record Sample(long atMillis, long pending) {
    }

    private final List<Sample> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    BacklogSampler(BenchDatabase db, long periodMillis) {
        thread = new Thread(() -> {
            try (Connection c = db.connect(); Statement st = c.createStatement()) {
                while (running) {
                    try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM data_change_logs WHERE processed = 0")) {
                        rs.next();
                        synchronized (samples) {
                            samples.add(new Sample(System.currentTimeMillis(), rs.getLong(1)));
                        }
                    }
                    Thread.sleep(periodMillis);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "bench-backlog-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    List<Sample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    /** Largest pending count sampled within [fromMillis, toMillis]. */
    long maxBetween(long fromMillis, long toMillis) {
        return samples().stream().filter(s -> s.atMillis() >= fromMillis && s.atMillis() <= toMillis)
                .mapToLong(Sample::pending).max().orElse(0);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
