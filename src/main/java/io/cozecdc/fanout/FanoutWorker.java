package io.cozecdc.fanout;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

import io.cozecdc.capture.TableDescriber;
import io.cozecdc.capture.TableSchema;
import io.cozecdc.changelog.ChangeLogRepository;
import io.cozecdc.common.InstanceId;
import io.cozecdc.common.JobControl;
import io.cozecdc.common.JobRounds;
import io.cozecdc.common.JobSettings;
import io.cozecdc.common.Sql;
import io.cozecdc.configs.ConfigRegistry;
import io.cozecdc.configs.RelationPath;
import io.cozecdc.configs.SyncConfig;

/**
 * Runs fan-outs: for each, copies the affected parent keys into the change log as SNAPSHOT rows for the
 * configuration, {@code cdc.fanout.chunk-size} keys per transaction, in byte order of the keys, storing the
 * last key copied in the same transaction, so a kill -9 loses nothing and repeats at most nothing (a chunk is
 * copied and recorded together or not at all). The delivery of each SNAPSHOT row reads the parent and its
 * related rows afresh, so the rows only say which documents to render again. A supplier with 10 000 products
 * is 20 chunks of 500; the worker waits while {@code cdc.fanout.max-pending} of the configuration's SNAPSHOT
 * rows are still pending, so the change log never fills faster than the pipeline drains it.
 */
@ApplicationScoped
public class FanoutWorker {

    private final FanoutRepository jobs;
    private final ChangeLogRepository changeLog;
    private final TableDescriber describer;
    private final ConfigRegistry registry;
    private final InstanceId instance;
    private final JobControl control;
    private final JobRounds rounds;
    private final JobSettings jobSettings;
    private final FanoutSettings settings;
    private final MeterRegistry meters;

    public FanoutWorker(FanoutRepository jobs, ChangeLogRepository changeLog, TableDescriber describer, ConfigRegistry registry,
            InstanceId instance, JobControl control, JobRounds rounds, JobSettings jobSettings, FanoutSettings settings,
            MeterRegistry meters) {
        this.jobs = jobs;
        this.changeLog = changeLog;
        this.describer = describer;
        this.registry = registry;
        this.instance = instance;
        this.control = control;
        this.rounds = rounds;
        this.jobSettings = jobSettings;
        this.settings = settings;
        this.meters = meters;
    }

    @Scheduled(every = "${cdc.fanout.interval}", identity = "cdc-fanout",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        if (!control.isRunning()) {
            return Uni.createFrom().voidItem();
        }
        return control.track(rounds.round("fanout-worker", jobSettings.roundTimeout(), JobSettings.ROUND_TIMEOUT, this::runDue));
    }

    /** One round: claims up to {@code cdc.fanout.jobs-per-round} fan-outs and runs each until done or held back. */
    public Uni<Void> runDue() {
        String owner = instance.nextClaim("f");
        return jobs.claim(owner, settings.jobsPerRound(), settings.lease())
                // the configurations as of now: a fan-out is created after the edit that gave its configuration
                // the relation, so it is never judged "gone" by a registry that has not heard of that edit yet
                .call(claimed -> claimed.isEmpty() ? Uni.createFrom().voidItem() : registry.catchUp())
                .chain(claimed -> {
                    List<Long> unfinished = java.util.Collections.synchronizedList(new ArrayList<>());
                    return Multi.createFrom().iterable(claimed)
                            .onItem().transformToUniAndConcatenate(job -> run(job, owner)
                                    // one fan-out that fails (a relation whose join no longer fits the tables, the
                                    // database blinked) must not hold up the others: it is tried again next round
                                    .onFailure().recoverWithItem(e -> {
                                        Log.warnf("%s failed, will retry: %s", job.describe(), e.getMessage());
                                        return false;
                                    })
                                    .invoke(done -> {
                                        if (!done) {
                                            unfinished.add(job.id());
                                        }
                                    }))
                            .collect().last()
                            .onTermination().call(() -> jobs.release(owner, List.copyOf(unfinished)).onFailure().recoverWithNull());
                })
                .replaceWithVoid()
                .onFailure().invoke(e -> Log.warnf("Fan-out round failed, will retry: %s", e.getMessage()))
                .onFailure().recoverWithNull();
    }

    /** Runs one job; true when it is finished (or dropped), false when it must go on later. */
    private Uni<Boolean> run(FanoutJob job, String owner) {
        SyncConfig config = registry.byId(job.configId()).orElse(null);
        RelationPath path = config == null ? null : RelationPath.named(config, job.relationPath());
        if (path == null || !path.table().equals(job.table())) {
            Log.debugf("Dropping %s: its configuration or relation is gone or disabled", job.describe());
            return jobs.drop(job.id()).replaceWith(true);
        }
        return Uni.combine().all().unis(describer.describe(config.tableName()), describer.describe(job.table())).asTuple()
                .chain(t -> steps(job, owner, config, path, t.getItem1(), t.getItem2()));
    }

    private Uni<Boolean> steps(FanoutJob job, String owner, SyncConfig config, RelationPath path, TableSchema parent,
            TableSchema related) {
        return jobs.pendingSnapshots(config.id(), settings.maxPending()).chain(pending -> {
            if (pending >= settings.maxPending()) {
                return Uni.createFrom().item(false);
            }
            return step(job, owner, config, path, parent, related).chain(next -> {
                if (next == null) {
                    return Uni.createFrom().item(false);
                }
                if (next == job) {
                    return jobs.finish(job, owner).invoke(finished -> {
                        if (finished) {
                            Log.debugf("%s finished: %d documents queued", job.describe(), job.documentsQueued());
                        }
                    }).replaceWith(true);
                }
                return steps(next, owner, config, path, parent, related);
            });
        });
    }

    /**
     * Copies the next chunk; returns the job as advanced, the same job when there was nothing left, or null
     * when the job is no longer this worker's to run (its lease passed, or a newer change restarted it).
     */
    private Uni<FanoutJob> step(FanoutJob job, String owner, SyncConfig config, RelationPath path, TableSchema parent,
            TableSchema related) {
        FanoutQueries.Statement candidates = FanoutQueries.candidates(parent, related, path, job, settings.chunkSize());
        return jobs.pool().preparedQuery(candidates.sql()).execute(candidates.params()).chain(rows -> {
            List<String> keys = new ArrayList<>();
            rows.forEach(r -> keys.add(r.getString(0)));
            if (keys.isEmpty()) {
                return Uni.createFrom().item(job);
            }
            String last = keys.get(keys.size() - 1);
            FanoutQueries.Statement copy = FanoutQueries.snapshots(parent, config.id(), keys);
            return Sql.transaction(jobs.pool(), conn -> changeLog.insertSnapshots(conn, copy.sql(), copy.params())
                    .chain(copied -> jobs.advance(conn, job, owner, last, copied, settings.lease())
                            .chain(mine -> mine ? Uni.createFrom().item(copied)
                                    : Uni.createFrom().failure(new LostJob()))))
                    .map(copied -> {
                        Counter.builder("cdc.fanout.documents").description("Documents queued for re-rendering by fan-outs")
                                .tag("config", config.name()).register(meters).increment(copied);
                        return new FanoutJob(job.id(), job.configId(), job.relationPath(), job.table(), job.recordKey(),
                                job.joinValues(), job.sourceLogId(), job.generation(), last, job.documentsQueued() + copied);
                    })
                    .onFailure(LostJob.class).recoverWithItem(() -> null);
        });
    }

    /** The job is no longer this worker's (lease passed) or was restarted by a newer change: the chunk rolls back. */
    static final class LostJob extends RuntimeException {
        LostJob() {
            super("fan-out lost or restarted", null, false, false);
        }
    }
}
