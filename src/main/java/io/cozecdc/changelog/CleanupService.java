package io.cozecdc.changelog;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

import io.cozecdc.common.JobRounds;
import io.cozecdc.common.JobSettings;

/**
 * Deletes processed change-log rows older than the retention, on the service's own schedule (so it
 * works where the database's event_scheduler is off) and on demand.
 */
@ApplicationScoped
public class CleanupService {

    private final ChangeLogRepository repository;
    private final CleanupSettings config;
    private final JobRounds rounds;
    private final JobSettings jobs;

    public CleanupService(ChangeLogRepository repository, CleanupSettings config, JobRounds rounds, JobSettings jobs) {
        this.rounds = rounds;
        this.jobs = jobs;
        this.repository = repository;
        this.config = config;
    }

    /** Runs the cleanup now; returns the number of rows removed. */
    public Uni<Long> cleanup() {
        return repository.deleteProcessedOlderThan(config.retention().toSeconds(), config.chunkSize())
                .invoke(removed -> Log.infof("Cleanup removed %d processed change-log rows older than %s",
                        removed, config.retention()));
    }

    @Scheduled(cron = "${cdc.cleanup.cron}", identity = "cdc-cleanup",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = CleanupDisabled.class)
    Uni<Void> scheduledCleanup() {
        return rounds.round("cleanup", jobs.cleanupTimeout(), JobSettings.CLEANUP_TIMEOUT, () -> cleanup()
                .onFailure().invoke(e -> Log.errorf("Scheduled cleanup failed: %s", e.getMessage()))
                .onFailure().recoverWithNull());
    }

    /** Skips the scheduled run when cdc.cleanup.enabled=false. */
    @ApplicationScoped
    public static class CleanupDisabled implements Scheduled.SkipPredicate {
        private final CleanupSettings config;

        public CleanupDisabled(CleanupSettings config) {
            this.config = config;
        }

        @Override
        public boolean test(io.quarkus.scheduler.ScheduledExecution execution) {
            return !config.enabled();
        }
    }
}
