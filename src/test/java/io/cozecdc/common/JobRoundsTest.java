package io.cozecdc.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;

/** The shared time bound of scheduled jobs: a call that never answers, an injected clock. */
class JobRoundsTest {

    private static final Duration BOUND = Duration.ofMillis(300);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final JobRounds rounds = new JobRounds(clock);
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(String.valueOf(record.getMessage()));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        Logger.getLogger(JobRounds.class.getName()).addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        Logger.getLogger(JobRounds.class.getName()).removeHandler(capture);
    }

    @Test
    void aRoundThatNeverAnswersIsAbandonedAtItsBoundWithAWarnNamingTheJob() {
        long started = System.nanoTime();
        rounds.round("document-janitor", BOUND, "cdc.jobs.round-timeout", () -> Uni.createFrom().nothing())
                .await().atMost(Duration.ofSeconds(5));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(took).isGreaterThanOrEqualTo(BOUND).isLessThan(Duration.ofSeconds(3));
        assertThat(warnings).singleElement().satisfies(w -> assertThat(w)
                .contains("document-janitor").contains("cdc.jobs.round-timeout").contains("abandoned"));
    }

    @Test
    void livenessNamesTheJobOnlyOnceItHasMadeNoProgressForLongerThanItsBound() {
        rounds.round("poller", Duration.ofMinutes(2), "cdc.poll.lease", () -> Uni.createFrom().voidItem())
                .await().atMost(Duration.ofSeconds(5));
        // a database call that never answers: the round is abandoned (real time), the clock says how long
        rounds.round("state-gauges", BOUND, "cdc.jobs.round-timeout", () -> Uni.createFrom().nothing())
                .await().atMost(Duration.ofSeconds(5));
        assertThat(rounds.stuck()).as("not yet past its bound on the clock").isEmpty();

        clock.advance(BOUND.plusMillis(1));
        assertThat(rounds.stuck()).singleElement().satisfies(s -> {
            assertThat(s.job()).isEqualTo("state-gauges");
            assertThat(s.setting()).isEqualTo("cdc.jobs.round-timeout");
            assertThat(s.abandonedRounds()).isEqualTo(1);
            assertThat(s.describe()).contains("state-gauges");
        });

        // the next round hangs too: still stuck, counted from the first one
        rounds.round("state-gauges", BOUND, "cdc.jobs.round-timeout", () -> Uni.createFrom().nothing())
                .await().atMost(Duration.ofSeconds(5));
        clock.advance(Duration.ofMinutes(1));
        assertThat(rounds.stuck()).singleElement().satisfies(s -> {
            assertThat(s.noProgressFor()).isGreaterThan(Duration.ofMinutes(1));
            assertThat(s.abandonedRounds()).isEqualTo(2);
        });

        // a round that ends, even with a failure (the database is away), is progress
        rounds.round("state-gauges", BOUND, "cdc.jobs.round-timeout",
                () -> Uni.createFrom().failure(new IllegalStateException("connection refused")))
                .onFailure().recoverWithNull().await().atMost(Duration.ofSeconds(5));
        assertThat(rounds.stuck()).isEmpty();
        assertThat(rounds.lastEnded()).containsKeys("poller", "state-gauges");
    }

    @Test
    void aRoundStillRunningPastItsBoundOnTheClockIsStuckBeforeItIsAbandoned() {
        rounds.round("reconciliation", Duration.ofMinutes(10), "cdc.reconcile.interval", () -> Uni.createFrom().nothing())
                .subscribe().with(x -> { });
        clock.advance(Duration.ofMinutes(9));
        assertThat(rounds.stuck()).isEmpty();
        clock.advance(Duration.ofMinutes(2));
        assertThat(rounds.stuck()).extracting(JobRounds.Stuck::job).containsExactly("reconciliation");
    }

    @Test
    void stepsOfALoopingJobRunSideBySideAndAnyEndingIsProgress() {
        AtomicInteger abandoned = new AtomicInteger();
        // abandoned (in real time) only after the other step below has ended
        Duration hangBound = Duration.ofSeconds(2);
        rounds.step("poller", hangBound, "cdc.poll.lease", () -> Uni.createFrom().<Integer>nothing(), () -> {
            abandoned.incrementAndGet();
            return 0;
        }).subscribe().with(x -> { });
        clock.advance(hangBound.multipliedBy(2));
        assertThat(rounds.stuck()).extracting(JobRounds.Stuck::job).containsExactly("poller");
        assertThat(rounds.step("poller", BOUND, "cdc.poll.lease", () -> Uni.createFrom().item(7), () -> 0)
                .await().atMost(Duration.ofSeconds(5))).isEqualTo(7);
        // the other step still hangs, but the job made progress just now
        assertThat(abandoned.get()).isZero();
        assertThat(rounds.stuck()).isEmpty();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> abandoned.get() == 1);
        clock.advance(hangBound.multipliedBy(2));
        // abandoned after the last progress, and nothing has ended since
        assertThat(rounds.stuck()).extracting(JobRounds.Stuck::job).containsExactly("poller");
        rounds.step("poller", BOUND, "cdc.poll.lease", () -> Uni.createFrom().item(1), () -> 0).await().atMost(Duration.ofSeconds(5));
        assertThat(rounds.stuck()).isEmpty();
    }

    /** A clock the test moves by hand. */
    private static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
