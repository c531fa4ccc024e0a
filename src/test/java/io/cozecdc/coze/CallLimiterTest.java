package io.cozecdc.coze;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

import io.cozecdc.sink.SinkException;

/** The limiter bounds concurrency and start rate, gives permits back on every ending, and sheds load past its queue. */
@Execution(ExecutionMode.CONCURRENT) // no application, nothing shared: beside the other tests (see surefire in the pom)
class CallLimiterTest {

    final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close();
    }

    @Test
    void boundsConcurrency() {
        CallLimiter limiter = new CallLimiter(3, 1000, 100, vertx);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        List<Uni<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            calls.add(limiter.run(() -> Uni.createFrom().item(1)
                    .invoke(() -> peak.accumulateAndGet(running.incrementAndGet(), Math::max))
                    .onItem().delayIt().by(Duration.ofMillis(20))
                    .invoke(running::decrementAndGet)));
        }
        Uni.join().all(calls).andFailFast().await().atMost(Duration.ofSeconds(10));
        assertThat(peak.get()).isEqualTo(3);
        assertThat(limiter.inFlight()).isZero();
    }

    @Test
    void boundsTheRateOfStarts() {
        CallLimiter limiter = new CallLimiter(50, 20, 100, vertx);
        long start = System.nanoTime();
        List<Uni<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            calls.add(limiter.run(() -> Uni.createFrom().item(1)));
        }
        Uni.join().all(calls).andFailFast().await().atMost(Duration.ofSeconds(10));
        // a burst of 20, then 20 more at 20 per second: at least ~1 s
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(900));
    }

    @Test
    void aThrottledLimiterStartsCallsAtHalfTheRate() {
        CallLimiter limiter = new CallLimiter(50, 20, 100, vertx);
        assertThat(limiter.throttled()).isEqualTo(10);
        assertThat(limiter.throttled()).isNegative(); // the same signal within a second
        long start = System.nanoTime();
        List<Uni<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            calls.add(limiter.run(() -> Uni.createFrom().item(1)));
        }
        Uni.join().all(calls).andFailFast().await().atMost(Duration.ofSeconds(10));
        // unthrottled, the 20 would start at once (a burst of 20); now a burst of 10, then 10 per second
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(800));
        assertThat(limiter.maxRate()).isEqualTo(20);
    }

    @Test
    void backgroundCallsWaitUntilNoOtherCallWaits() {
        CallLimiter limiter = new CallLimiter(1, 1000, 100, vertx);
        List<String> started = java.util.Collections.synchronizedList(new ArrayList<>());
        io.smallrye.mutiny.subscription.UniEmitter<? super Integer>[] holder = new io.smallrye.mutiny.subscription.UniEmitter[1];
        // the only permit is taken until the test lets go
        Uni<Integer> first = limiter.run(() -> Uni.createFrom().<Integer>emitter(e -> holder[0] = e));
        List<Uni<Integer>> calls = new ArrayList<>();
        calls.add(first);
        calls.add(limiter.runInBackground(() -> Uni.createFrom().item(1).invoke(() -> started.add("background"))));
        calls.add(limiter.run(() -> Uni.createFrom().item(1).invoke(() -> started.add("sync-1"))));
        calls.add(limiter.run(() -> Uni.createFrom().item(1).invoke(() -> started.add("sync-2"))));
        var all = Uni.join().all(calls).andFailFast().subscribeAsCompletionStage();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> holder[0] != null && limiter.waitingCount() == 3);

        holder[0].complete(0);
        all.toCompletableFuture().join();
        // queued first, started last: the sync calls that came after it went before it
        assertThat(started).containsExactly("sync-1", "sync-2", "background");

        // with nothing else waiting, a background call starts at once
        assertThat(limiter.runInBackground(() -> Uni.createFrom().item(7)).await().atMost(Duration.ofSeconds(5))).isEqualTo(7);
        assertThat(limiter.inFlight()).isZero();
    }

    @Test
    void failuresAndCancellationsGiveThePermitBack() {
        CallLimiter limiter = new CallLimiter(1, 1000, 100, vertx);
        Uni<Integer> failing = limiter.run(() -> Uni.createFrom().failure(new IllegalStateException("boom")));
        failing.onFailure().recoverWithItem(0).await().atMost(Duration.ofSeconds(5));
        limiter.run(() -> Uni.createFrom().<Integer>nothing()).subscribe().with(x -> { }).cancel();
        assertThat(limiter.run(() -> Uni.createFrom().item(7)).await().atMost(Duration.ofSeconds(5))).isEqualTo(7);
        assertThat(limiter.inFlight()).isZero();
        assertThat(limiter.waitingCount()).isZero();
    }

    @Test
    void shedsLoadWhenTooManyWait() {
        CallLimiter limiter = new CallLimiter(1, 1000, 2, vertx);
        limiter.run(() -> Uni.createFrom().<Integer>nothing()).subscribe().with(x -> { });
        limiter.run(() -> Uni.createFrom().item(1)).subscribe().with(x -> { });
        limiter.run(() -> Uni.createFrom().item(1)).subscribe().with(x -> { });
        Throwable overflow = limiter.run(() -> Uni.createFrom().item(1))
                .onItem().transform(x -> (Throwable) null).onFailure().recoverWithItem(e -> e)
                .await().atMost(Duration.ofSeconds(5));
        assertThat(overflow).isInstanceOf(SinkException.class).hasMessageContaining("too many Coze calls waiting");
        assertThat(((SinkException) overflow).isRetryable()).isTrue();
    }
}
