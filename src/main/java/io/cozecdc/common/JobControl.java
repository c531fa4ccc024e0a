package io.cozecdc.common;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

/**
 * Pauses and resumes the background jobs (poller, processing tracker, janitor, retries,
 * reconciliation), and knows how many runs are in flight, so a pause or a shutdown can wait for them.
 */
@ApplicationScoped
public class JobControl {

    private final AtomicBoolean running;
    private final AtomicInteger inFlight = new AtomicInteger();

    public JobControl(RuntimeSettings settings) {
        this.running = new AtomicBoolean(!settings.startPaused());
    }

    public boolean isRunning() {
        return running.get();
    }

    public void resume() {
        running.set(true);
    }

    /** Stops new runs and waits (up to {@code timeout}) for running ones to finish. Blocking: not for event loops. */
    public boolean pauseAndWait(Duration timeout) {
        running.set(false);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return inFlight.get() == 0;
    }

    /** Counts a job run as in flight until its Uni ends. */
    public <T> Uni<T> track(Uni<T> run) {
        return Uni.createFrom().deferred(() -> {
            inFlight.incrementAndGet();
            return run.onTermination().invoke(inFlight::decrementAndGet);
        });
    }
}
