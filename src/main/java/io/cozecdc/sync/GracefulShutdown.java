package io.cozecdc.sync;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;

import io.cozecdc.changelog.ChangeLogRepository;
import io.cozecdc.common.InstanceId;
import io.cozecdc.common.JobControl;
import io.cozecdc.failures.FailureRepository;

/**
 * On SIGTERM (a pod deletion, a rolling update): stop claiming, let running batches finish for up to
 * {@code cdc.shutdown.drain-timeout}, then give every change and retry this replica still holds back at
 * once, so the other replicas take them now instead of after the lease. Runs on the shutdown thread,
 * where blocking is allowed.
 */
@ApplicationScoped
public class GracefulShutdown {

    private static final Duration RELEASE_TIMEOUT = Duration.ofSeconds(5);

    private final JobControl control;
    private final ChangeLogRepository changeLog;
    private final FailureRepository failures;
    private final InstanceId instance;
    private final ShutdownSettings settings;

    public GracefulShutdown(JobControl control, ChangeLogRepository changeLog, FailureRepository failures, InstanceId instance,
            ShutdownSettings settings) {
        this.control = control;
        this.changeLog = changeLog;
        this.failures = failures;
        this.instance = instance;
        this.settings = settings;
    }

    void onStop(@Observes ShutdownEvent event) {
        Duration drain = settings.drainTimeout();
        boolean finished = control.pauseAndWait(drain);
        String prefix = instance.id() + "#";
        try {
            int changes = changeLog.releaseAllOf(prefix).await().atMost(RELEASE_TIMEOUT);
            int retries = failures.releaseAllOf(prefix).await().atMost(RELEASE_TIMEOUT);
            Log.infof("Shutting down: running batches %s; released %d claimed changes and %d claimed retries to the other replicas",
                    finished ? "finished" : "did not finish within " + drain, changes, retries);
        } catch (RuntimeException e) {
            Log.warnf("Shutting down: could not release this replica's claims (they return when their lease ends): %s",
                    e.getMessage());
        }
    }
}
