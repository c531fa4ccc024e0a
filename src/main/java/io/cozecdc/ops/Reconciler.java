package io.cozecdc.ops;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

import io.cozecdc.common.DatabaseClock;
import io.cozecdc.common.InstanceId;
import io.cozecdc.common.JobControl;
import io.cozecdc.common.JobLeaseRepository;
import io.cozecdc.common.JobRounds;
import io.cozecdc.configs.SyncConfig;
import io.cozecdc.configs.SyncConfigRepository;
import io.cozecdc.sink.KnowledgeBase;
import io.cozecdc.sink.KnowledgeBase.ListedDocument;
import io.cozecdc.sync.documents.CreateIntentRepository;
import io.cozecdc.sync.documents.DocumentJanitor;
import io.cozecdc.sync.documents.DocumentNames;
import io.cozecdc.sync.documents.LedgerRepository;

/**
 * Lists each managed dataset and deletes the documents the service created that nothing points to
 * any more: left by a crash between a create and its commit, or by a create whose answer was lost
 * (a timeout after Coze applied it) that the create intents did not settle. Only documents named with
 * our scheme, for a configuration that exists and uses the dataset, and older than the grace period
 * (database clock against the database-clock time in the name) are touched; one replica at a time.
 * Right before deleting, each orphan is checked again: a document of an open create intent, or one a
 * commit recorded since its page was read, is left alone.
 */
@ApplicationScoped
public class Reconciler {

    static final String JOB = "reconcile";

    private final KnowledgeBase coze;
    private final SyncConfigRepository configs;
    private final LedgerRepository ledger;
    private final DocumentJanitor janitor;
    private final JobLeaseRepository leases;
    private final InstanceId instance;
    private final JobControl control;
    private final ReconcileSettings settings;
    private final CreateIntentRepository intents;
    private final DatabaseClock databaseClock;
    private final Clock clock;
    private final JobRounds rounds;

    public Reconciler(KnowledgeBase coze, SyncConfigRepository configs, LedgerRepository ledger, DocumentJanitor janitor,
            JobLeaseRepository leases, InstanceId instance, JobControl control, ReconcileSettings settings,
            CreateIntentRepository intents, DatabaseClock databaseClock, Clock clock, JobRounds rounds) {
        this.intents = intents;
        this.databaseClock = databaseClock;
        this.rounds = rounds;
        this.coze = coze;
        this.configs = configs;
        this.ledger = ledger;
        this.janitor = janitor;
        this.leases = leases;
        this.instance = instance;
        this.control = control;
        this.settings = settings;
        this.clock = clock;
    }

    @Scheduled(every = "${cdc.reconcile.interval}", delayed = "1m", identity = "cdc-reconcile",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        if (!settings.enabled() || !control.isRunning()) {
            return Uni.createFrom().voidItem();
        }
        // a pass longer than its lease would let another replica start one: the lease is its bound
        return control.track(rounds.round("reconciliation", settings.interval(), "cdc.reconcile.interval", () -> {
            Instant now = clock.instant();
            return leases.tryAcquire(JOB, instance.id(), now, now.plus(settings.interval()))
                    .chain(mine -> mine ? reconcile().replaceWithVoid() : Uni.createFrom().voidItem())
                    .onFailure().invoke(e -> Log.warnf("Reconciliation failed: %s", e.getMessage()))
                    .onFailure().recoverWithNull();
        }));
    }

    /** Reconciles every dataset a configuration uses; returns how many orphans were deleted. */
    public Uni<Integer> reconcile() {
        return configs.findAll().chain(all -> {
            Map<Long, Set<Long>> configsByDataset = all.stream().collect(Collectors.groupingBy(SyncConfig::datasetId,
                    Collectors.mapping(SyncConfig::id, Collectors.toSet())));
            return Multi.createFrom().iterable(configsByDataset.entrySet())
                    .onItem().transformToUniAndConcatenate(e -> reconcile(e.getKey(), e.getValue()))
                    .collect().in(() -> new int[1], (sum, n) -> sum[0] += n)
                    .map(sum -> sum[0]);
        });
    }

    private Uni<Integer> reconcile(long datasetId, Set<Long> configIds) {
        return databaseClock.now()
                .chain(now -> orphans(datasetId, configIds, now.minus(settings.grace())))
                // deleted only after the whole listing (deleting while paging would shift the pages), each
                // checked again right before: the listing may have taken long
                .chain(orphans -> stillOrphans(datasetId, orphans))
                .call(orphans -> janitor.deleteNow(orphans))
                .invoke(orphans -> {
                    if (!orphans.isEmpty()) {
                        Log.infof("Reconciliation deleted %d orphaned documents from dataset %d", orphans.size(), datasetId);
                    }
                })
                .map(List::size)
                .onFailure().invoke(e -> Log.warnf("Could not reconcile dataset %d: %s", datasetId, e.getMessage()))
                .onFailure().recoverWithItem(0);
    }

    /**
     * The orphans that are still orphans now: not the document of an open create intent, and not in the
     * ledger. Intents are read first: an intent closes in the same transaction that writes the ledger, so
     * a commit between the two reads is seen by the second.
     */
    private Uni<List<String>> stillOrphans(long datasetId, List<ListedDocument> orphans) {
        if (orphans.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return intents.openNames(datasetId, orphans.stream().map(ListedDocument::name).distinct().toList())
                .chain(open -> {
                    List<String> ids = orphans.stream().filter(d -> !open.contains(d.name()))
                            .map(ListedDocument::documentId).distinct().toList();
                    return ledger.known(ids).map(known -> ids.stream().filter(id -> !known.contains(id)).toList());
                });
    }

    /**
     * Lists the dataset page by page and checks each page against the ledger as it arrives, so only the
     * orphans are kept, never the whole listing (a dataset may hold millions of documents).
     */
    private Uni<List<ListedDocument>> orphans(long datasetId, Set<Long> configIds, Instant cutoff) {
        Scan scan = new Scan();
        return Multi.createBy().repeating()
                .uni(() -> scan, s -> {
                    s.page++;
                    return coze.list(datasetId, s.page, coze.limits().listPageSize())
                            .call(page -> orphansIn(page.documents(), configIds, cutoff).invoke(s.found::addAll))
                            .invoke(page -> {
                                s.listed += page.documents().size();
                                // a page may be shorter than asked (Coze documents no maximum size):
                                // only the total or an empty page ends the listing
                                s.more = !page.documents().isEmpty() && s.listed < page.total();
                            });
                })
                .whilst(page -> scan.more)
                .collect().last()
                .map(last -> scan.found);
    }

    private Uni<List<ListedDocument>> orphansIn(List<ListedDocument> page, Set<Long> configIds, Instant cutoff) {
        List<ListedDocument> candidates = page.stream().filter(d -> isOurs(d, configIds, cutoff)).toList();
        if (candidates.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return ledger.known(candidates.stream().map(ListedDocument::documentId).toList())
                .map(known -> candidates.stream().filter(d -> !known.contains(d.documentId())).toList());
    }

    private static boolean isOurs(ListedDocument doc, Set<Long> configIds, Instant cutoff) {
        return DocumentNames.parse(doc.name())
                .filter(n -> configIds.contains(n.configId()) && n.createdAt().isBefore(cutoff))
                .isPresent();
    }

    /** Where a listing is: the last page asked for, documents seen, orphans found, whether more pages follow. */
    private static final class Scan {
        private int page;
        private int listed;
        private boolean more;
        private final List<ListedDocument> found = new ArrayList<>();
    }
}
