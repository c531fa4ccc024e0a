package io.cozecdc.sync;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

import io.cozecdc.common.JobControl;
import io.cozecdc.common.JobRounds;
import io.cozecdc.common.JobSettings;
import io.cozecdc.common.Sql;
import io.cozecdc.configs.SyncConfigRepository;
import io.cozecdc.failures.FailureCodes;
import io.cozecdc.sink.KnowledgeBase;
import io.cozecdc.sink.SinkHealth;
import io.cozecdc.sink.KnowledgeBase.DocumentProgress;
import io.cozecdc.sync.documents.DocumentJanitor;
import io.cozecdc.sync.documents.LedgerDocument;
import io.cozecdc.sync.documents.LedgerRepository;
import io.cozecdc.sync.documents.LedgerState;
import io.cozecdc.sync.documents.Promoter;

/**
 * Follows every document the service created until Coze reports it processed (status 1) or failed
 * (status 9), with batched progress calls per dataset. The state lives in coze_documents, so after a
 * restart the documents still processing are picked up again.
 */
@ApplicationScoped
public class ProcessingTracker {

    static final int CLAIM_LIMIT = 500;

    private final LedgerRepository ledger;
    private final SyncCommitter committer;
    private final Promoter promoter;
    private final DocumentJanitor janitor;
    private final SyncConfigRepository configs;
    private final KnowledgeBase coze;
    private final JobControl control;
    private final SyncSettings settings;
    private final SyncMetrics metrics;
    private final LeaseKeeper leases;
    private final Clock clock;
    private final JobRounds rounds;
    private final SinkHealth health;
    private final JobSettings jobs;

    public ProcessingTracker(LedgerRepository ledger, SyncCommitter committer, Promoter promoter, DocumentJanitor janitor,
            SyncConfigRepository configs, KnowledgeBase coze, JobControl control,
            SyncSettings settings, SyncMetrics metrics, LeaseKeeper leases, Clock clock, JobRounds rounds, JobSettings jobs,
            SinkHealth health) {
        this.health = health;
        this.leases = leases;
        this.rounds = rounds;
        this.jobs = jobs;
        this.ledger = ledger;
        this.committer = committer;
        this.promoter = promoter;
        this.janitor = janitor;
        this.configs = configs;
        this.coze = coze;
        this.control = control;
        this.settings = settings;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Scheduled(every = "${cdc.processing.poll-interval}", identity = "cdc-processing",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        // while Coze looks down every progress call would wait out its timeout and retries, and a round of
        // them could outlast the job's bound (liveness would restart a replica for Coze's outage): wait
        // for the probe time, as the poller does
        if (!control.isRunning() || health.holdBack()) {
            return Uni.createFrom().voidItem();
        }
        return control.track(rounds.round("processing-tracker", jobs.roundTimeout(), JobSettings.ROUND_TIMEOUT, this::track));
    }

    /** Checks the documents that are due; returns when their outcomes are committed. */
    public Uni<Void> track() {
        Instant now = clock.instant();
        // the claim doubles as a lease (database clock): if this replica dies, another checks them after it.
        // While this check runs (progress calls may wait for a permit, time out and be retried) the lease is
        // renewed, so no other replica reads an older progress and acts on it (review finding 9)
        Duration leaseLength = leases.renewable(settings.processing().pollInterval().multipliedBy(5));
        Instant lease = now.plus(leaseLength);
        return ledger.claim(LedgerState.PROCESSING, now, CLAIM_LIMIT, lease)
                .chain(docs -> {
                    List<String> ids = LedgerRepository.ids(docs);
                    leases.holdDocuments(ids, leaseLength);
                    return Multi.createFrom().iterable(byDatasetChunks(docs))
                            .onItem().transformToUniAndConcatenate(chunk -> check(chunk, now))
                            .collect().last().replaceWithVoid()
                            .onTermination().invoke(() -> leases.dropDocuments(ids));
                })
                .onFailure().invoke(e -> Log.warnf("Reading Coze processing progress failed: %s", e.getMessage()))
                .onFailure().recoverWithNull();
    }

    private List<List<LedgerDocument>> byDatasetChunks(List<LedgerDocument> docs) {
        return docs.stream().collect(Collectors.groupingBy(LedgerDocument::datasetId)).values().stream()
                .flatMap(list -> Sql.chunks(list, coze.limits().idsPerCall()).stream())
                .toList();
    }

    private Uni<Void> check(List<LedgerDocument> docs, Instant roundStarted) {
        long datasetId = docs.get(0).datasetId();
        return coze.progress(datasetId, LedgerRepository.ids(docs))
                .chain(progress -> {
                    Map<String, DocumentProgress> byId = progress.stream()
                            .collect(Collectors.toMap(DocumentProgress::documentId, Function.identity(), (a, b) -> a));
                    return settle(docs, byId, roundStarted);
                })
                .onFailure().invoke(e -> Log.debugf("Progress of %d documents not read (will retry): %s", docs.size(),
                        e.getMessage()))
                // read again by the next round, not after the claim's lease (at least three renewal intervals)
                .onFailure().recoverWithUni(() -> dueForNextRound(LedgerRepository.ids(docs), roundStarted));
    }

    /**
     * Commits what Coze reported: processed documents are promoted together, documents still processing
     * are looked at again later (one statement), failed or lost ones are handled one by one. The
     * documents these outcomes made obsolete go in one delete call, not one call each.
     */
    private Uni<Void> settle(List<LedgerDocument> docs, Map<String, DocumentProgress> byId, Instant roundStarted) {
        Instant now = clock.instant();
        List<LedgerDocument> done = new ArrayList<>();
        List<String> waiting = new ArrayList<>();
        List<LedgerDocument> others = new ArrayList<>();
        for (LedgerDocument doc : docs) {
            DocumentProgress progress = byId.get(doc.documentId());
            if (progress != null && progress.status() == DocumentProgress.DONE) {
                done.add(doc);
            } else if (progress != null && progress.status() != DocumentProgress.FAILED
                    && !doc.createdAt().plus(settings.processing().timeout()).isBefore(now)) {
                waiting.add(doc.documentId());
            } else {
                others.add(doc);
            }
        }
        Uni<List<String>> promoted = promoter.promote(done)
                .invoke(() -> done.forEach(doc -> metrics.readyLag(doc.capturedAt(), now)))
                .onFailure().invoke(e -> Log.warnf("Could not promote %d processed documents: %s", done.size(), e.getMessage()))
                .onFailure().recoverWithItem(List.<String>of());
        Uni<Void> postponed = dueForNextRound(waiting, roundStarted);
        return promoted
                .chain(obsolete -> postponed.replaceWith(obsolete))
                .chain(obsolete -> Multi.createFrom().iterable(others)
                        .onItem().transformToUniAndConcatenate(doc -> settleFailed(doc, byId.get(doc.documentId()), now))
                        .collect().in(() -> new ArrayList<>(obsolete), List::addAll))
                .chain(janitor::deleteNow);
    }

    /**
     * Makes documents still processing (or whose progress could not be read) due for the tracker's next
     * round; a failure leaves them on the claim's lease.
     */
    private Uni<Void> dueForNextRound(List<String> documentIds, Instant roundStarted) {
        return Sql.bounded(ledger.lease(ledgerClient(), LedgerState.PROCESSING, documentIds, untilNextRound(roundStarted)),
                "the next check of documents still processing").onFailure().recoverWithNull();
    }

    /**
     * How long a document still processing waits for its next check, counted from now: until
     * {@link #nextCheck} after this round started, or not at all if the round took longer. Rounds start
     * one poll interval apart, so the document is due before the next round claims and Coze's progress is
     * read once per interval. Counted from the end of the check, a document came due just after the next
     * round had claimed, and was read only every second round.
     */
    private Duration untilNextRound(Instant roundStarted) {
        Duration left = nextCheck(settings).minus(Duration.between(roundStarted, clock.instant()));
        return left.isNegative() ? Duration.ZERO : left;
    }

    /**
     * When a document is next due, counted from its creation or from the start of the round that read it:
     * half a poll interval, so the first round that starts after that takes it, never a round later.
     */
    static Duration nextCheck(SyncSettings settings) {
        return settings.processing().pollInterval().dividedBy(2);
    }

    /** A document Coze failed, lost or did not finish in time; returns the documents it made obsolete. */
    private Uni<List<String>> settleFailed(LedgerDocument doc, DocumentProgress progress, Instant now) {
        Uni<List<String>> outcome;
        if (progress != null && progress.status() == DocumentProgress.FAILED) {
            String reason = "Coze could not process the document" + (progress.reason() == null ? "" : ": " + progress.reason());
            outcome = failed(doc, FailureCodes.PROCESSING_FAILED, reason);
        } else if (progress == null) {
            outcome = failed(doc, FailureCodes.PROCESSING_FAILED, "Coze no longer knows the document");
        } else {
            outcome = failed(doc, FailureCodes.PROCESSING_TIMEOUT,
                    "Coze did not finish processing the document within " + settings.processing().timeout());
        }
        return outcome
                .onFailure().invoke(e -> Log.warnf("Could not settle document %s: %s", doc.documentId(), e.getMessage()))
                .onFailure().recoverWithItem(List.<String>of());
    }

    private Uni<List<String>> failed(LedgerDocument doc, int code, String reason) {
        return Sql.bounded(ledger.find(ledgerClient(), doc.documentId()), "a document's state").chain(current -> {
            if (current == null || current.state() != LedgerState.PROCESSING) {
                return Uni.createFrom().item(List.<String>of()); // replaced or deleted meanwhile: nothing to redo
            }
            return failedForGood(doc, code, reason);
        });
    }

    private Uni<List<String>> failedForGood(LedgerDocument doc, int code, String reason) {
        return Sql.bounded(configs.findById(doc.configId()), "a configuration").chain(config -> {
            if (config == null) {
                return ledger.markObsolete(ledgerClient(), List.of(doc.documentId()), "config deleted", clock.instant())
                        .replaceWith(List.of(doc.documentId()));
            }
            metrics.documentFailed(config.name());
            Log.warnf("Document %s of config '%s' (record %s): %s; it will be uploaded again", doc.documentId(),
                    config.name(), doc.recordKey(), reason);
            return committer.processingFailed(config, doc, code, reason);
        });
    }

    private io.vertx.mutiny.sqlclient.SqlClient ledgerClient() {
        return ledger.pool();
    }
}
