package io.cozecdc.ops;

import java.util.List;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

import io.cozecdc.common.JobRounds;

/**
 * Liveness: DOWN while any scheduled job has made no progress for longer than its bound, that is, a
 * round of it has been running or abandoned, with none ending by itself, for longer than its bound
 * ({@link JobRounds}). The data names each stuck job, how long it has been stuck and which setting
 * bounds it. A round that fails fast (database or Coze away) still ends, so an outage alone never
 * fails this check; a call that never answers does. Reads memory only.
 */
@Liveness
@ApplicationScoped
public class JobsLiveness implements HealthCheck {

    private final JobRounds rounds;

    public JobsLiveness(JobRounds rounds) {
        this.rounds = rounds;
    }

    @Override
    public HealthCheckResponse call() {
        List<JobRounds.Stuck> stuck = rounds.stuck();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("cdc-jobs")
                .withData("jobs", String.join(", ", rounds.lastEnded().keySet()));
        if (stuck.isEmpty()) {
            return response.up().build();
        }
        response.withData("stuckJobs", stuck.stream().map(JobRounds.Stuck::job).collect(Collectors.joining(", ")));
        stuck.forEach(s -> response.withData(s.job(), s.describe()));
        return response.down().withData("reason", "a scheduled job has made no progress for longer than its bound: "
                + stuck.get(0).describe()).build();
    }
}
