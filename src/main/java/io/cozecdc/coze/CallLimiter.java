package io.cozecdc.coze;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Vertx;

import io.cozecdc.sink.SinkErrorKind;
import io.cozecdc.sink.SinkException;

/**
 * Bounds calls to Coze: at most {@code maxConcurrent} in flight and at most the current rate started
 * per second (token bucket, burst of one second's worth). The rate starts at {@code ratePerSecond} and
 * adapts when Coze throttles ({@link AdaptiveRate}). Callers wait without blocking a thread; at most
 * {@code maxWaiting} may wait, after which calls fail fast as overloaded.
 *
 * <p>Background calls (housekeeping such as reconciliation's listings) get a permit only when no other
 * call waits, so they never slow the sync down; they run in the gaps.
 */
public class CallLimiter {

    private final int maxConcurrent;
    private final AdaptiveRate rate;
    private final int maxWaiting;
    private final Vertx vertx;

    private final Deque<Waiter> waiting = new ArrayDeque<>();
    private final Deque<Waiter> background = new ArrayDeque<>();
    private int inFlight;
    private double tokens;
    private long lastRefillNanos;
    private boolean timerArmed;

    public CallLimiter(int maxConcurrent, double ratePerSecond, int maxWaiting, Vertx vertx) {
        if (maxConcurrent < 1 || ratePerSecond <= 0 || maxWaiting < 0) {
            throw new IllegalArgumentException("max-concurrency must be >= 1, rate-limit-per-second > 0, max-waiting >= 0");
        }
        this.maxConcurrent = maxConcurrent;
        this.rate = new AdaptiveRate(ratePerSecond, System.nanoTime());
        this.maxWaiting = maxWaiting;
        this.vertx = vertx;
        this.lastRefillNanos = System.nanoTime();
        this.tokens = burst(ratePerSecond);
    }

    /** Runs the call when a permit is free; the permit is held until the call's Uni terminates. */
    public <T> Uni<T> run(Supplier<Uni<T>> call) {
        return run(call, false);
    }

    /** Like {@link #run(Supplier)}, but the call waits while any other call waits. */
    public <T> Uni<T> runInBackground(Supplier<Uni<T>> call) {
        return run(call, true);
    }

    private <T> Uni<T> run(Supplier<Uni<T>> call, boolean inBackground) {
        return Uni.createFrom().deferred(() -> {
            Waiter waiter = new Waiter(inBackground);
            return Uni.createFrom().<Void>emitter(emitter -> enqueue(waiter, emitter))
                    .chain(ignored -> call.get())
                    .onTermination().invoke(() -> finish(waiter));
        });
    }

    /** Calls in flight now. */
    public synchronized int inFlight() {
        return inFlight;
    }

    /** Calls per second allowed now (the configured rate, or less while Coze throttles). */
    public synchronized double currentRate() {
        return rate.at(System.nanoTime());
    }

    /** The configured rate: the most the limiter ever allows. */
    public double maxRate() {
        return rate.ceiling();
    }

    /**
     * Coze throttled a call: lower the rate. Returns the new rate when this lowered it, or a negative
     * number when it was already lowered for the same burst of refusals (or is at its floor).
     */
    public synchronized double throttled() {
        long now = System.nanoTime();
        if (!rate.throttled(now)) {
            return -1;
        }
        refill();
        return rate.at(now);
    }

    /** Callers waiting for a permit now. */
    public synchronized int waitingCount() {
        return waiting.size() + background.size();
    }

    private void enqueue(Waiter waiter, UniEmitter<? super Void> emitter) {
        synchronized (this) {
            int queued = waiting.size() + background.size();
            if (queued >= maxWaiting) {
                emitter.fail(new SinkException(SinkErrorKind.RETRYABLE, SinkException.NO_ANSWER, 0,
                        "too many Coze calls waiting (" + queued + "); try again later", null, false));
                return;
            }
            waiter.emitter = emitter;
            (waiter.inBackground ? background : waiting).addLast(waiter);
        }
        drain();
    }

    /**
     * The caller's Uni ended (item, failure or cancellation): give the permit back if it held one,
     * or leave the queue if it was still waiting. Runs once per caller.
     */
    private void finish(Waiter waiter) {
        boolean release;
        synchronized (this) {
            release = waiter.granted && !waiter.finished;
            if (!waiter.granted) {
                (waiter.inBackground ? background : waiting).remove(waiter);
            }
            waiter.finished = true;
        }
        if (release) {
            release();
        }
    }

    private void release() {
        synchronized (this) {
            inFlight--;
        }
        drain();
    }

    /** Starts as many waiting calls as permits allow; arms a timer when only the rate holds them back. */
    private void drain() {
        while (true) {
            Waiter next;
            synchronized (this) {
                Deque<Waiter> queue = waiting.isEmpty() ? background : waiting;
                if (queue.isEmpty() || inFlight >= maxConcurrent) {
                    return;
                }
                refill();
                if (tokens < 1) {
                    armTimer();
                    return;
                }
                next = queue.pollFirst();
                if (next.finished) {
                    continue;
                }
                next.granted = true;
                tokens -= 1;
                inFlight++;
            }
            next.emitter.complete(null);
        }
    }

    private static double burst(double perSecond) {
        return Math.max(1, perSecond);
    }

    /** Adds the tokens earned since the last refill at the current rate, up to one second's worth. */
    private void refill() {
        long now = System.nanoTime();
        double perSecond = rate.at(now);
        double add = (now - lastRefillNanos) / 1e9 * perSecond;
        if (add > 0) {
            lastRefillNanos = now;
        }
        tokens = Math.min(burst(perSecond), tokens + Math.max(0, add));
    }

    private void armTimer() {
        if (timerArmed) {
            return;
        }
        timerArmed = true;
        long delayMs = Math.max(1, (long) Math.ceil((1 - tokens) / rate.at(System.nanoTime()) * 1000));
        vertx.setTimer(delayMs, id -> {
            synchronized (this) {
                timerArmed = false;
            }
            drain();
        });
    }

    /** One caller's place in the queue. Fields are guarded by the limiter's lock. */
    private static final class Waiter {
        private final boolean inBackground;
        private UniEmitter<? super Void> emitter;
        private boolean granted;
        private boolean finished;

        private Waiter(boolean inBackground) {
            this.inBackground = inBackground;
        }
    }
}
