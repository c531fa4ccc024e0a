package io.cozecdc.sync.documents;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

import io.cozecdc.common.JobControl;
import io.cozecdc.common.JobRounds;
import io.cozecdc.common.JobSettings;
import io.cozecdc.common.Sql;
import io.cozecdc.sink.KnowledgeBase;
import io.cozecdc.sink.SinkException;

/**
 * Deletes documents the service no longer wants (replaced, deleted rows, lost races, failed
 * processing): at once after the commit that made them obsolete, and again on a schedule for any
 * deletion that failed, with backoff. A document Coze reports not found counts as deleted.
 */
@ApplicationScoped
public class DocumentJanitor {

    static final int SWEEP_LIMIT = 500;
    /**
     * Documents a caller marks obsolete and deletes at once are left to that caller this long before
     * the sweep may take them, so both do not delete the same documents (two Coze calls for one
     * deletion). The sweep still catches what the immediate deletion missed (a failure, a crash).
     */
    public static final Duration HANDOVER = Duration.ofSeconds(30);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(10);

    private final KnowledgeBase coze;
    private final LedgerRepository ledger;
    private final JobControl control;
    private final Clock clock;
    private final JobRounds rounds;
    private final JobSettings jobs;

    public DocumentJanitor(KnowledgeBase coze, LedgerRepository ledger, JobControl control, Clock clock, JobRounds rounds,
            JobSettings jobs) {
        this.rounds = rounds;
        this.jobs = jobs;
        this.coze = coze;
        this.ledger = ledger;
        this.control = control;
        this.clock = clock;
    }

    /** Deletes these documents now; failures are left to the scheduled sweep. Never fails. */
    public Uni<Void> deleteNow(List<String> documentIds) {
        if (documentIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Multi.createFrom().iterable(Sql.chunks(documentIds.stream().distinct().toList(), coze.limits().idsPerCall()))
                .onItem().transformToUniAndConcatenate(chunk -> delete(chunk, 0))
                .collect().last().replaceWithVoid();
    }

    @Scheduled(every = "${cdc.janitor.interval}", identity = "cdc-janitor",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        if (!control.isRunning()) {
            return Uni.createFrom().voidItem();
        }
        return control.track(rounds.round("document-janitor", jobs.roundTimeout(), JobSettings.ROUND_TIMEOUT, () -> {
            Instant now = clock.instant();
            return ledger.claim(LedgerState.OBSOLETE, now, SWEEP_LIMIT, now.plus(Duration.ofMinutes(1)))
                    .chain(docs -> Multi.createFrom().iterable(Sql.chunks(docs, coze.limits().idsPerCall()))
                            .onItem().transformToUniAndConcatenate(chunk -> delete(LedgerRepository.ids(chunk),
                                    chunk.stream().mapToInt(LedgerDocument::deleteAttempts).max().orElse(0)))
                            .collect().last().replaceWithVoid())
                    .onFailure().invoke(e -> Log.warnf("Document cleanup failed: %s", e.getMessage()))
                    .onFailure().recoverWithNull();
        }));
    }

    /** One delete call; on "not found" with several ids, each is tried alone so the others still go. */
    private Uni<Void> delete(List<String> ids, int previousAttempts) {
        return coze.delete(ids)
                .chain(() -> Sql.bounded(ledger.remove(ids), "the removal of deleted documents"))
                .onFailure(SinkException.class).recoverWithUni(e -> {
                    SinkException ce = (SinkException) e;
                    if (coze.isNotFound(ce) && ids.size() == 1) {
                        return ledger.remove(ids);
                    }
                    if (!ce.isRetryable() && ids.size() > 1) {
                        return Multi.createFrom().iterable(ids)
                                .onItem().transformToUniAndConcatenate(id -> delete(List.of(id), previousAttempts))
                                .collect().last().replaceWithVoid();
                    }
                    Log.warnf("Could not delete %d Coze documents (will retry): %s", ids.size(), ce.describe());
                    return ledger.deleteFailed(ids, ce.describe(), clock.instant().plus(backoff(previousAttempts + 1)));
                })
                .onFailure().invoke(e -> Log.warnf("Could not record document deletion: %s", e.getMessage()))
                .onFailure().recoverWithNull();
    }

    static Duration backoff(int attempts) {
        long seconds = (long) Math.min(MAX_BACKOFF.toSeconds(), Math.pow(2, Math.min(attempts, 20)));
        return Duration.ofSeconds(seconds);
    }
}
