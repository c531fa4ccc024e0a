package io.cozecdc.sync;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

import io.cozecdc.common.JobControl;
import io.cozecdc.common.JobRounds;
import io.cozecdc.common.JobSettings;
import io.cozecdc.configs.ConfigLifecycle;
import io.cozecdc.configs.ConfigRegistry;
import io.cozecdc.configs.ConfigStatus;
import io.cozecdc.configs.SyncConfig;
import io.cozecdc.failures.FailureRepository;
import io.cozecdc.sink.KnowledgeBase;
import io.cozecdc.sink.SinkException;

/**
 * Configuration-level failures: when Coze refuses a configuration itself (auth 4100/4101, dataset
 * 4200) it goes to ERROR with the reason, and its changes are held instead of burning through their
 * attempts. A probe asks Coze again every {@code cdc.configs.probe-interval}; when it answers, the
 * configuration is ACTIVE again and its held changes are due at once.
 */
@ApplicationScoped
public class ConfigErrors {

    private final ConfigLifecycle lifecycle;
    private final ConfigRegistry registry;
    private final FailureRepository failures;
    /** How often a failed status write is tried again before it is reported. */
    static final int STATUS_WRITE_RETRIES = 3;
    static final java.time.Duration STATUS_RETRY_BACKOFF = java.time.Duration.ofMillis(200);

    private final KnowledgeBase coze;
    private final JobControl control;
    private final Clock clock;
    private final JobRounds rounds;
    private final JobSettings jobs;

    public ConfigErrors(ConfigLifecycle lifecycle, ConfigRegistry registry, FailureRepository failures, KnowledgeBase coze,
            JobControl control, Clock clock, JobRounds rounds, JobSettings jobs) {
        this.rounds = rounds;
        this.jobs = jobs;
        this.lifecycle = lifecycle;
        this.registry = registry;
        this.failures = failures;
        this.coze = coze;
        this.control = control;
        this.clock = clock;
    }

    /** Puts a configuration in ERROR because of Coze's answer. */
    public Uni<Void> markError(SyncConfig config, SinkException error) {
        String reason = "Coze refused the configuration: " + error.describe();
        Log.errorf("Sync configuration '%s' (table %s, dataset %d) is now in ERROR: %s. Its changes are held "
                + "until Coze accepts it again.", config.name(), config.tableName(), config.datasetId(), reason);
        return lifecycle.refused(config.id(), reason)
                // a lost write would leave the config ACTIVE (its changes retried against Coze's refusal, no
                // alert): try it a few times, and say so when it still fails
                .onFailure().retry().withBackOff(STATUS_RETRY_BACKOFF).atMost(STATUS_WRITE_RETRIES)
                .onFailure().invoke(e -> Log.errorf("Could not record the ERROR status of sync configuration '%s' "
                        + "after %d retries: %s", config.name(), STATUS_WRITE_RETRIES, e.getMessage()))
                .chain(registry::refresh);
    }

    @Scheduled(every = "${cdc.configs.probe-interval}", identity = "cdc-config-probe",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> probe() {
        if (!control.isRunning()) {
            return Uni.createFrom().voidItem();
        }
        return control.track(rounds.round("config-error-probe", jobs.roundTimeout(), JobSettings.ROUND_TIMEOUT,
                () -> Multi.createFrom().iterable(registry.all())
                        .filter(c -> c.status() == ConfigStatus.ERROR)
                        .onItem().transformToUniAndConcatenate(this::probe)
                        .collect().last()));
    }

    /** Asks Coze for one document of the config's dataset; on an answer, the config is ACTIVE again. */
    public Uni<Void> probe(SyncConfig config) {
        return coze.list(config.datasetId(), 1, 1)
                .chain(ok -> recover(config))
                .onFailure().invoke(e -> Log.debugf("Config %s still refused by Coze: %s", config.name(), e.getMessage()))
                .onFailure().recoverWithNull();
    }

    private Uni<Void> recover(SyncConfig config) {
        return lifecycle.answered(config.id()).chain(cleared -> {
            if (!cleared) {
                return Uni.createFrom().voidItem();
            }
            return failures.makeDueNow(config.id(), clock.instant())
                    .invoke(n -> Log.infof("Sync configuration '%s' is ACTIVE again; %d held changes will be retried now",
                            config.name(), n))
                    .chain(registry::refresh);
        });
    }
}
