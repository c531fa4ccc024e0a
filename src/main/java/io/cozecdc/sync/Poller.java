package io.cozecdc.sync;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

import io.cozecdc.common.JobControl;
import io.cozecdc.common.JobRounds;
import io.cozecdc.sink.SinkHealth;

/**
 * Drains the change log continuously. It claims a batch; when the batch came back full it claims the
 * next at once, otherwise {@code cdc.poll.interval} after the previous claim. Up to
 * {@code cdc.poll.parallel-batches} claimed batches are processed at once, so the Coze calls of one
 * overlap the database work of another, and a new change waits about one interval at most to be
 * claimed, however long the batch before it takes. Claims are disjoint (leases, SKIP LOCKED) and
 * commits version-guarded, exactly as between replicas.
 *
 * <p>The loop runs until the jobs are paused or a claim fails (the database is away, say); the
 * scheduler fires every second, is skipped while the loop runs, and starts it again. While Coze looks
 * down nothing is claimed, so the backlog waits in the change log where alerts can see it. Waits are
 * Vert.x timers: nothing blocks the event loop.
 */
@ApplicationScoped
public class Poller {

    static final String JOB = "poller";

    private final BatchProcessor processor;
    private final JobControl control;
    private final SinkHealth cozeHealth;
    private final SyncSettings settings;
    private final SyncMetrics metrics;
    private final PollerHeartbeat heartbeat;
    private final Clock clock;
    private final Vertx vertx;
    private final JobRounds rounds;
    private final LeaseSettings leases;

    public Poller(BatchProcessor processor, JobControl control, SinkHealth cozeHealth, SyncSettings settings,
            SyncMetrics metrics, PollerHeartbeat heartbeat, Clock clock, Vertx vertx, JobRounds rounds, LeaseSettings leases) {
        this.rounds = rounds;
        this.leases = leases;
        this.vertx = vertx;
        this.heartbeat = heartbeat;
        this.processor = processor;
        this.control = control;
        this.cozeHealth = cozeHealth;
        this.settings = settings;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Scheduled(every = "1s", identity = "cdc-poll", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        if (!settings.poll().enabled() || !control.isRunning()) {
            return Uni.createFrom().voidItem();
        }
        return control.track(run());
    }

    /**
     * Claims and processes batches until the jobs are paused or a claim fails; never fails itself. A
     * failed claim ends the loop but not the batches still running: they finish (or fail) by themselves.
     * Cancelling them would throw away Coze calls in flight, whose documents then exist without a commit.
     */
    public Uni<Void> run() {
        Pace pace = new Pace(settings.poll().interval().toNanos());
        int full = settings.poll().batchSize();
        AtomicBoolean claimFailed = new AtomicBoolean();
        return Multi.createBy().repeating().uni(() -> nextClaim(pace, full)
                        .onFailure().recoverWithItem(e -> {
                            // a claim that failed fast (database away) still ended its round: the poller is not stuck
                            heartbeat.beat();
                            Log.errorf("Polling the change log failed: %s", e.getMessage());
                            claimFailed.set(true);
                            return BatchProcessor.Claimed.NONE;
                        }))
                .whilst(claimed -> !claimFailed.get() && control.isRunning())
                .onItem().transformToUni(this::process)
                .merge(Math.max(1, settings.poll().parallelBatches()))
                .collect().last()
                .onFailure().invoke(e -> Log.errorf("Polling the change log failed: %s", e.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    private Uni<BatchProcessor.Claimed> nextClaim(Pace pace, int full) {
        return waitNanos(pace.delayNanos())
                .chain(() -> control.isRunning() && !cozeHealth.holdBack() ? claim()
                        : Uni.createFrom().item(BatchProcessor.Claimed.NONE))
                .invoke(claimed -> {
                    pace.claimed(claimed.size() == full);
                    heartbeat.beat();
                });
    }

    /** A claim that reached the change log: the last successful poll (cdc_last_poll_timestamp_seconds). */
    private Uni<BatchProcessor.Claimed> claim() {
        // a claim that never answers ends the loop (the scheduler starts it again); a batch that never
        // ends is abandoned: its changes come back when their lease ends, so the lease is its bound
        return rounds.step(JOB, settings.poll().lease(), "cdc.poll.lease", processor::claim,
                        () -> { throw new IllegalStateException("the claim did not answer within cdc.poll.lease"); })
                .invoke(() -> metrics.polled(clock.instant()));
    }

    private Uni<Integer> process(BatchProcessor.Claimed claimed) {
        // a running batch keeps its claim (LeaseKeeper renews it up to cdc.leases.max-hold), so that is its bound:
        // abandoning it at the lease would let the same changes be claimed and created again
        return rounds.step(JOB, leases.maxHold(), "cdc.leases.max-hold", () -> processor.process(claimed), () -> 0)
                .onFailure().recoverWithItem(e -> {
                    Log.errorf("Processing a batch of %d changes failed (they come back when their lease ends): %s",
                            claimed.size(), e.getMessage());
                    return 0;
                });
    }

    private Uni<Void> waitNanos(long nanos) {
        if (nanos <= 0) {
            return Uni.createFrom().voidItem();
        }
        long millis = Math.max(1, nanos / 1_000_000);
        return Uni.createFrom().emitter(e -> vertx.setTimer(millis, id -> e.complete(null)));
    }

    /** When the next claim is due: at once after a full batch, one interval after the previous claim otherwise. */
    static final class Pace {
        private final long intervalNanos;
        private long lastClaim;
        private boolean lastFull = true;

        Pace(long intervalNanos) {
            this.intervalNanos = Math.max(1_000_000, intervalNanos);
        }

        synchronized long delayNanos() {
            return lastFull ? 0 : lastClaim + intervalNanos - System.nanoTime();
        }

        synchronized void claimed(boolean full) {
            lastFull = full;
            lastClaim = System.nanoTime();
        }
    }
}
