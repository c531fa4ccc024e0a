package io.cozecdc.common;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * Time bounds and progress of the scheduled jobs, in one place. Each job runs its rounds (or, for a
 * job that loops, its steps) through {@link #round} or {@link #step}: a round still running at its
 * bound is abandoned with a WARN naming the job and the setting, so the next round can run (the
 * scheduler skips a job while a round of it runs, so one hung call would otherwise stop the job for
 * good). A round that ends by itself, with an item or a failure, is progress. {@link #stuck()} lists
 * the jobs that have had a round running or abandoned, and none ending, for longer than their bound;
 * liveness reads it. Memory only.
 */
@ApplicationScoped
public class JobRounds {

    /** A job that has made no progress for longer than its bound. */
    public record Stuck(String job, Duration bound, String setting, Duration noProgressFor, long abandonedRounds) {

        /** One line for logs and health data. */
        public String describe() {
            return job + ": no round has ended for " + noProgressFor.toSeconds() + " s (bound " + bound + ", " + setting
                    + "; " + abandonedRounds + " rounds abandoned)";
        }
    }

    private final Clock clock;
    private final ConcurrentMap<String, JobState> jobs = new ConcurrentHashMap<>();

    public JobRounds(Clock clock) {
        this.clock = clock;
    }

    /**
     * One round of {@code job}, abandoned after {@code bound}.
     *
     * @param setting the setting {@code bound} comes from, named in the WARN line and by liveness
     */
    public Uni<Void> round(String job, Duration bound, String setting, Supplier<Uni<?>> work) {
        return step(job, bound, setting, () -> work.get().replaceWithVoid(), () -> null);
    }

    /**
     * One step of {@code job}, abandoned after {@code bound}; an abandoned step yields
     * {@code whenAbandoned}. Steps of one job may run side by side; any of them ending is progress.
     */
    public <T> Uni<T> step(String job, Duration bound, String setting, Supplier<Uni<T>> work, Supplier<T> whenAbandoned) {
        return Uni.createFrom().deferred(() -> {
            JobState state = jobs.computeIfAbsent(job, j -> new JobState());
            Run run = state.start(bound, setting, clock.instant());
            Uni<T> started;
            try {
                started = work.get();
            } catch (RuntimeException e) {
                started = Uni.createFrom().failure(e);
            }
            return started
                    .onItemOrFailure().invoke((item, failure) -> state.ended(run, clock.instant()))
                    .ifNoItem().after(bound).recoverWithUni(() -> {
                        if (state.abandoned(run)) {
                            Log.warnf("Job %s: a round did not finish within %s (%s); abandoned so the next one can run",
                                    job, bound, setting);
                        }
                        return Uni.createFrom().item(whenAbandoned);
                    })
                    .onCancellation().invoke(() -> state.cancelled(run));
        });
    }

    /** The jobs that have made no progress for longer than their bound, by name. */
    public List<Stuck> stuck() {
        Instant now = clock.instant();
        List<Stuck> stuck = new ArrayList<>();
        new TreeMap<>(jobs).forEach((job, state) -> state.stuck(job, now).ifPresent(stuck::add));
        return stuck;
    }

    /** Every job seen so far and when a round of it last ended by itself (null: never). */
    public Map<String, Instant> lastEnded() {
        Map<String, Instant> ended = new TreeMap<>();
        jobs.forEach((job, state) -> ended.put(job, state.lastEnded()));
        return ended;
    }

    /** One round or step in flight; closed once, by whichever of end, abandonment or cancellation comes first. */
    private static final class Run {
        private boolean closed;
    }

    /** Progress of one job. Guarded by this. */
    private static final class JobState {
        private Duration bound = Duration.ZERO;
        private String setting = "";
        private int running;
        /** Since when a round has been running or abandoned with none ending; null when none waits. */
        private Instant waitingSince;
        private boolean abandonedSinceProgress;
        private Instant lastEnded;
        private long abandonedRounds;

        synchronized Run start(Duration bound, String setting, Instant now) {
            this.bound = bound;
            this.setting = setting;
            running++;
            if (waitingSince == null) {
                waitingSince = now;
            }
            return new Run();
        }

        synchronized void ended(Run run, Instant now) {
            if (close(run)) {
                lastEnded = now;
                abandonedSinceProgress = false;
                waitingSince = running > 0 ? now : null;
            }
        }

        synchronized boolean abandoned(Run run) {
            if (!close(run)) {
                return false;
            }
            abandonedRounds++;
            abandonedSinceProgress = true;
            return true;
        }

        synchronized void cancelled(Run run) {
            // cancelled from outside (a shutdown): not progress, but no hang either
            if (close(run) && running == 0 && !abandonedSinceProgress) {
                waitingSince = null;
            }
        }

        synchronized java.util.Optional<Stuck> stuck(String job, Instant now) {
            if (waitingSince == null) {
                return java.util.Optional.empty();
            }
            Duration waiting = Duration.between(waitingSince, now);
            return waiting.compareTo(bound) > 0
                    ? java.util.Optional.of(new Stuck(job, bound, setting, waiting, abandonedRounds))
                    : java.util.Optional.empty();
        }

        synchronized Instant lastEnded() {
            return lastEnded;
        }

        private boolean close(Run run) {
            if (run.closed) {
                return false;
            }
            run.closed = true;
            running--;
            return true;
        }
    }
}
