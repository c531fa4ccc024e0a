package io.cozecdc.backfill;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

import io.cozecdc.capture.TableDescriber;
import io.cozecdc.capture.UnknownTableException;
import io.cozecdc.capture.UnsupportedTableException;
import io.cozecdc.common.InstanceId;
import io.cozecdc.common.JobControl;
import io.cozecdc.common.JobRounds;
import io.cozecdc.common.JobSettings;
import io.cozecdc.configs.ConfigRegistry;
import io.cozecdc.configs.SyncConfig;

/**
 * Runs backfills a chunk at a time: copies the next key-ordered rows of the table into the change log
 * as SNAPSHOT rows for the one config, so they share the live stream and its version guard. Waits
 * while the pipeline has not caught up; progress is stored after every chunk, so a restart resumes.
 */
@ApplicationScoped
public class BackfillWorker {

    static final Duration LEASE = Duration.ofMinutes(1);

    private final BackfillRepository jobs;
    private final TableDescriber describer;
    private final ConfigRegistry registry;
    private final InstanceId instance;
    private final JobControl control;
    private final BackfillSettings config;
    private final Clock clock;
    private final JobRounds rounds;
    private final JobSettings jobSettings;

    public BackfillWorker(BackfillRepository jobs, TableDescriber describer, ConfigRegistry registry, InstanceId instance,
            JobControl control, BackfillSettings config, Clock clock, JobRounds rounds, JobSettings jobSettings) {
        this.rounds = rounds;
        this.jobSettings = jobSettings;
        this.jobs = jobs;
        this.describer = describer;
        this.registry = registry;
        this.instance = instance;
        this.control = control;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(every = "${cdc.backfill.interval}", identity = "cdc-backfill",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        if (!control.isRunning()) {
            return Uni.createFrom().voidItem();
        }
        return control.track(rounds.round("backfill-worker", jobSettings.roundTimeout(), JobSettings.ROUND_TIMEOUT, this::stepAll));
    }

    /** One step of every runnable backfill. */
    public Uni<Void> stepAll() {
        return jobs.runnable(instance.id(), clock.instant())
                // the configurations as of now: a resync started right after its configuration was created or
                // enabled through another replica must not be cancelled as "disabled or deleted"
                .call(ids -> ids.isEmpty() ? Uni.createFrom().voidItem() : registry.catchUp())
                .chain(ids -> Multi.createFrom().iterable(ids)
                        .onItem().transformToUniAndConcatenate(this::step)
                        .collect().last().replaceWithVoid())
                .onFailure().invoke(e -> Log.warnf("Backfill step failed: %s", e.getMessage()))
                .onFailure().recoverWithNull();
    }

    private Uni<Void> step(long configId) {
        String owner = instance.id();
        Instant now = clock.instant();
        return jobs.claim(configId, owner, now, now.plus(LEASE)).chain(mine -> {
            if (!mine) {
                return Uni.createFrom().voidItem();
            }
            SyncConfig syncConfig = registry.byId(configId).orElse(null);
            if (syncConfig == null) {
                return jobs.finish(configId, BackfillState.CANCELLED, "the configuration was disabled or deleted", clock.instant())
                        .replaceWithVoid();
            }
            return jobs.pendingSnapshots(configId).chain(pending -> pending >= config.maxPending()
                    ? Uni.createFrom().voidItem()
                    : copy(syncConfig, owner));
        });
    }

    private Uni<Void> copy(SyncConfig syncConfig, String owner) {
        long id = syncConfig.id();
        return jobs.find(id).chain(job -> describer.describe(syncConfig.tableName())
                .chain(schema -> jobs.copyNext(schema, id, job.lastKey(), config.chunkSize()))
                .chain(chunk -> chunk.rows() == 0
                        ? jobs.finish(id, BackfillState.DONE, null, clock.instant())
                                .invoke(done -> Log.infof("Backfill of config '%s' finished: %d rows", syncConfig.name(), job.rowsDone()))
                                .replaceWithVoid()
                        : jobs.advance(id, owner, chunk.rows(), chunk.lastKey(), clock.instant()))
                .onFailure(e -> e instanceof UnknownTableException || e instanceof UnsupportedTableException)
                .recoverWithUni(e -> {
                    Log.errorf("Backfill of config '%s' failed: %s", syncConfig.name(), e.getMessage());
                    return jobs.finish(id, BackfillState.FAILED, e.getMessage(), clock.instant()).replaceWithVoid();
                })
                // anything else (say the database blinked) is tried again when the lease runs out
                .onFailure().invoke(e -> Log.warnf("Backfill step of config '%s' failed, will retry: %s",
                        syncConfig.name(), e.getMessage()))
                .onFailure().recoverWithNull());
    }
}
