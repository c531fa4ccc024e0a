package io.cozecdc.testing;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.arc.Arc;
import io.quarkus.arc.ClientProxy;
import io.quarkus.arc.InjectableBean;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.common.runtime.util.SchedulerUtils;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Runs the service's {@code @Scheduled} jobs in the test application at the intervals they are
 * configured with.
 *
 * <p>Why: Quarkus's simple scheduler looks at its triggers once a second, so a job set to run every
 * 250 ms in the test profile still runs once a second, and every test that waits for a progress
 * check, a janitor sweep or a retry waits out those ticks. The test profile switches the scheduler
 * off ({@code quarkus.scheduler.enabled=false}) and this bean calls the very methods the scheduler
 * would call, found by their {@code @Scheduled} annotation, with the same rules: the interval and the
 * initial delay read from the same settings (one exception, the poller's restart check: see
 * {@link #RESTART_CHECKS}), never two runs of one method at once (every job here
 * is {@code concurrentExecution = SKIP}), a run on a duplicated Vert.x context as the scheduler does
 * for methods returning a {@code Uni}. Cron methods (the change-log cleanup) are left to the tests
 * that call them. The packaged jar keeps the real scheduler; the process ITs run it.
 *
 * <p>Does nothing when the scheduler is on, so a test profile that wants the real one can have it.
 *
 * <p>A test can {@link #hold} a job for a while: a replica whose periodic run has not come around yet
 * (the registry's refresh before another replica's edit reaches it), which real intervals only make
 * likely, not certain.
 */
@ApplicationScoped
public class JobTicker {

    /**
     * Jobs whose {@code every} only says how soon a loop that has ended is started again (the poller's
     * "1s" is the scheduler's own tick), checked here at the setting named instead: the poller's loop
     * starts within one poll interval of a test's resume instead of within a second.
     */
    private static final java.util.Map<String, String> RESTART_CHECKS = java.util.Map.of("cdc-poll", "cdc.poll.interval");

    private final Vertx vertx;
    private final List<Long> timers = new CopyOnWriteArrayList<>();
    private final java.util.Set<String> held = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final List<Job> started = new CopyOnWriteArrayList<>();
    private volatile boolean stopped;

    public JobTicker(Vertx vertx) {
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        Config config = ConfigProvider.getConfig();
        if (config.getOptionalValue("quarkus.scheduler.enabled", Boolean.class).orElse(true)) {
            return;
        }
        for (Job job : jobs(config)) {
            started.add(job);
            Log.debugf("Test ticker: %s every %s (first after %s)", job.name(), job.every(), job.delay());
            long first = Math.max(1, job.delay().toMillis());
            java.util.function.BooleanSupplier skip = () -> stopped || held.contains(job.name());
            timers.add(vertx.setTimer(first, id -> {
                job.tick(vertx, skip);
                if (!stopped) {
                    timers.add(vertx.setPeriodic(Math.max(1, job.every().toMillis()), t -> job.tick(vertx, skip)));
                }
            }));
        }
    }

    /**
     * Stops starting runs of the job with this identity (e.g. {@code cdc-config-refresh}) until {@link #release},
     * and waits (up to 30 s) for a run already going to end.
     */
    public void hold(String identity) {
        Job job = started.stream().filter(j -> j.name().equals(identity)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no job ticks here as " + identity));
        held.add(identity);
        // a tick marks its run before it looks at the hold (Job.tick): either it sees the hold, or this sees its run
        org.awaitility.Awaitility.await("a run of " + identity + " to end").atMost(Duration.ofSeconds(30))
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10)).until(() -> !job.running().get());
    }

    /** Runs the job at its interval again. */
    public void release(String identity) {
        held.remove(identity);
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        timers.forEach(vertx::cancelTimer);
    }

    /** Every method of the application's beans that carries {@code @Scheduled(every = ...)}. */
    private static List<Job> jobs(Config config) {
        List<Job> jobs = new ArrayList<>();
        for (Bean<?> bean : Arc.container().beanManager().getBeans(Object.class, Any.Literal.INSTANCE)) {
            Class<?> type = bean.getBeanClass();
            if (!type.getName().startsWith("io.cozecdc.") || type.getName().startsWith("io.cozecdc.testing.")) {
                continue;
            }
            for (Method method : type.getDeclaredMethods()) {
                Scheduled scheduled = method.getAnnotation(Scheduled.class);
                if (scheduled == null || scheduled.every().isEmpty()) {
                    continue;
                }
                if (scheduled.concurrentExecution() != Scheduled.ConcurrentExecution.SKIP
                        || scheduled.skipExecutionIf() != Scheduled.Never.class) {
                    throw new IllegalStateException(method + ": the test ticker knows only SKIP jobs without a skip predicate");
                }
                if (!Uni.class.isAssignableFrom(method.getReturnType())) {
                    // the scheduler runs other methods on a worker thread: not done here, so say so
                    throw new IllegalStateException(method + ": the test ticker runs only methods that return a Uni");
                }
                // read as the scheduler reads them (SchedulerUtils: ${...} lookups, "off"/"disabled")
                java.util.OptionalLong every = RESTART_CHECKS.containsKey(scheduled.identity())
                        ? java.util.OptionalLong.of(DurationConverter.parseDuration(
                                config.getValue(RESTART_CHECKS.get(scheduled.identity()), String.class)).toMillis())
                        : SchedulerUtils.parseEveryAsMillis(scheduled);
                if (every.isEmpty()) {
                    continue;
                }
                method.setAccessible(true);
                jobs.add(new Job(scheduled.identity().isEmpty() ? type.getSimpleName() + "#" + method.getName() : scheduled.identity(),
                        ClientProxy.unwrap(Arc.container().instance((InjectableBean<?>) bean).get()), method,
                        Duration.ofMillis(every.getAsLong()), Duration.ofMillis(scheduled.delayed().isEmpty() ? 0 : SchedulerUtils.parseDelayedAsMillis(scheduled)),
                        new AtomicBoolean()));
            }
        }
        jobs.sort(Comparator.comparing(Job::name));
        return jobs;
    }

    private record Job(String name, Object target, Method method, Duration every, Duration delay, AtomicBoolean running) {

        /** One run, unless the previous one is still going (the scheduler's SKIP). */
        void tick(Vertx vertx, java.util.function.BooleanSupplier skip) {
            // the run is marked before the skip is read, so a hold that finds no run marked has been seen by every
            // later tick (JobTicker.hold)
            if (!running.compareAndSet(false, true)) {
                return;
            }
            if (skip.getAsBoolean()) {
                running.set(false);
                return;
            }
            Context context = VertxContext.getOrCreateDuplicatedContext(vertx);
            VertxContextSafetyToggle.setContextSafe(context, true);
            context.runOnContext(v -> {
                Uni<?> run;
                try {
                    Object result = method.invoke(target);
                    run = result instanceof Uni<?> uni ? uni : Uni.createFrom().voidItem();
                } catch (InvocationTargetException e) {
                    run = Uni.createFrom().failure(e.getCause());
                } catch (ReflectiveOperationException | RuntimeException e) {
                    run = Uni.createFrom().failure(e);
                }
                run.subscribe().with(
                        item -> running.set(false),
                        failure -> {
                            running.set(false);
                            Log.warnf(failure, "Test ticker: a run of %s failed", name);
                        });
            });
        }
    }
}
