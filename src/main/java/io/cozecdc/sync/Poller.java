package io.cozecdc.sync;

import java.time.Clock;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.cozecdc.coze.CozeHealth;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Drains the change log: claims batches until one comes back short, then waits
 * {@code cdc.poll.interval} and claims again. The scheduler cannot fire more often than once a
 * second, so each scheduled run (never overlapping the previous one) keeps polling at the configured
 * interval for about a second, waiting on a Vert.x timer: nothing blocks the event loop. While Coze
 * looks down it claims nothing, so the backlog waits in the change log where alerts can see it.
 */
@ApplicationScoped
public class Poller {

    private final BatchProcessor processor;
    private final SyncControl control;
    private final CozeHealth cozeHealth;
    private final SyncSettings settings;
    private final SyncMetrics metrics;
    private final PollerHeartbeat heartbeat;
    private final Clock clock;
    private final Vertx vertx;

    public Poller(BatchProcessor processor, SyncControl control, CozeHealth cozeHealth, SyncSettings settings,
            SyncMetrics metrics, PollerHeartbeat heartbeat, Clock clock, Vertx vertx) {
        this.vertx = vertx;
        this.heartbeat = heartbeat;
        this.processor = processor;
        this.control = control;
        this.cozeHealth = cozeHealth;
        this.settings = settings;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** How long one scheduled run keeps polling; the scheduler's own period. */
    static final Duration RUN = Duration.ofSeconds(1);

    @Scheduled(every = "1s", identity = "cdc-poll", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        if (!settings.poll().enabled()) {
            return Uni.createFrom().voidItem();
        }
        long deadline = System.nanoTime() + RUN.toNanos();
        return control.track(Multi.createBy().repeating()
                // a non-null item: repeating() drops nulls, which would starve whilst() and never end
                .uni(() -> drainIfAllowed().invoke(heartbeat::beat).chain(this::pause).replaceWith(Boolean.TRUE))
                .whilst(ignored -> System.nanoTime() < deadline && control.isRunning())
                .collect().last()
                .replaceWithVoid());
    }

    private Uni<Void> drainIfAllowed() {
        return control.isRunning() && !cozeHealth.holdBack() ? drain() : Uni.createFrom().voidItem();
    }

    private Uni<Void> pause() {
        long millis = Math.max(1, settings.poll().interval().toMillis());
        return Uni.createFrom().emitter(e -> vertx.setTimer(millis, id -> e.complete(null)));
    }

    /**
     * Claims batches while they come back full and processes up to {@code cdc.poll.parallel-batches} of
     * them at once: the next batch is claimed as soon as one is in flight and a slot is free, so Coze
     * calls of one batch overlap the database work of another. Claims are disjoint (leases, SKIP LOCKED)
     * and commits are version-guarded, exactly as between replicas.
     */
    public Uni<Void> drain() {
        int full = settings.poll().batchSize();
        return Multi.createBy().repeating().uni(processor::claim)
                .whilst(claimed -> claimed.size() == full && control.isRunning() && !cozeHealth.holdBack())
                .onItem().transformToUni(claimed -> processor.process(claimed)
                        .onFailure().recoverWithItem(e -> {
                            Log.errorf("Processing a batch of %d changes failed (they come back when their lease ends): %s",
                                    claimed.size(), e.getMessage());
                            return 0;
                        }))
                .merge(Math.max(1, settings.poll().parallelBatches()))
                .collect().last()
                .invoke(() -> metrics.polled(clock.instant()))
                .onFailure().invoke(e -> Log.errorf("Polling the change log failed: %s", e.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
