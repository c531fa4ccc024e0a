package io.cozecdc.sync;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

import io.cozecdc.changelog.Change;
import io.cozecdc.changelog.Operation;
import io.cozecdc.common.InstanceId;
import io.cozecdc.common.JobControl;
import io.cozecdc.common.JobRounds;
import io.cozecdc.common.JobSettings;
import io.cozecdc.common.Sql;
import io.cozecdc.configs.SyncConfig;
import io.cozecdc.configs.SyncConfigRepository;
import io.cozecdc.sink.KnowledgeBase;
import io.cozecdc.sink.KnowledgeBase.DocumentPage;
import io.cozecdc.sink.KnowledgeBase.ListedDocument;
import io.cozecdc.sync.documents.CreateIntent;
import io.cozecdc.sync.documents.CreateIntentRepository;
import io.cozecdc.sync.documents.DocumentJanitor;
import io.cozecdc.sync.documents.DocumentNames;
import io.cozecdc.sync.documents.LedgerRepository;
import io.cozecdc.sync.render.RenderedDocument;

/**
 * Resolves create intents left open: a create call that got no usable answer (timeout, broken
 * connection, gateway error), or whose sender died before committing. Any replica takes intents whose
 * lease (database clock) has ended, lists their dataset from its newest end until it is past the
 * intents' time, and for each intent either adopts a document of that name (committed like an
 * answered create, so the version guard decides: if the row has moved on, the document is marked
 * obsolete and deleted) or, when Coze holds none, closes it.
 *
 * <p>Coze documents no listing order and no lookup by name. The first and the last page are read;
 * when their names' times show the listing newest-first, later pages follow forward, otherwise
 * (oldest-first, as the fake and, as far as anyone has seen, Coze list) earlier pages follow backwards
 * from the last. Either way the scan stops at the first page whose newest document of ours was sent
 * {@code cdc.intents.scan-margin} before the oldest intent.
 */
@ApplicationScoped
public class IntentResolver {

    /** Reads of the last page when deletions keep emptying it (see {@link #lastPage}). */
    static final int LAST_PAGE_TRIES = 3;

    private final CreateIntentRepository intents;
    private final KnowledgeBase coze;
    private final SyncConfigRepository configs;
    private final LedgerRepository ledger;
    private final SyncCommitter committer;
    private final DocumentJanitor janitor;
    private final LeaseKeeper leases;
    private final JobControl control;
    private final InstanceId instance;
    private final IntentSettings settings;
    private final JobRounds rounds;
    private final JobSettings jobs;

    public IntentResolver(CreateIntentRepository intents, KnowledgeBase coze, SyncConfigRepository configs, LedgerRepository ledger,
            SyncCommitter committer, DocumentJanitor janitor, LeaseKeeper leases, JobControl control, InstanceId instance,
            IntentSettings settings, JobRounds rounds, JobSettings jobs) {
        this.rounds = rounds;
        this.jobs = jobs;
        this.intents = intents;
        this.coze = coze;
        this.configs = configs;
        this.ledger = ledger;
        this.committer = committer;
        this.janitor = janitor;
        this.leases = leases;
        this.control = control;
        this.instance = instance;
        this.settings = settings;
    }

    @Scheduled(every = "${cdc.intents.resolve-interval}", identity = "cdc-intents",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        if (!control.isRunning()) {
            return Uni.createFrom().voidItem();
        }
        // a round that never ends (a database call left without an answer) is abandoned at the jobs' bound
        return control.track(rounds.round("intent-resolver", jobs.roundTimeout(), JobSettings.ROUND_TIMEOUT, () -> resolve()
                .onFailure().invoke(e -> Log.warnf("Resolving open create intents failed (retried): %s", e.getMessage()))
                .onFailure().recoverWithItem(0)
                .replaceWithVoid()));
    }

    /** Resolves the open intents whose lease has ended; returns how many were closed. */
    public Uni<Integer> resolve() {
        return intents.claimDue(instance.id() + "#r", settings.batchSize(), settings.lease()).chain(claimed -> {
            if (claimed.isEmpty()) {
                return Uni.createFrom().item(0);
            }
            List<String> ids = IntentCall.ids(claimed);
            leases.holdIntents(ids);
            Map<Long, List<CreateIntent>> byDataset = claimed.stream()
                    .collect(Collectors.groupingBy(CreateIntent::datasetId, LinkedHashMap::new, Collectors.toList()));
            return Multi.createFrom().iterable(byDataset.entrySet())
                    .onItem().transformToUniAndConcatenate(e -> resolveDataset(e.getKey(), e.getValue())
                            .onFailure().invoke(err -> Log.infof("Could not resolve %d create intents of dataset %d yet: %s",
                                    e.getValue().size(), e.getKey(), err.getMessage()))
                            .onFailure().recoverWithItem(0))
                    .collect().in(() -> new int[1], (sum, n) -> sum[0] += n)
                    .map(sum -> sum[0])
                    .onTermination().invoke(() -> leases.dropIntents(ids));
        });
    }

    private Uni<Integer> resolveDataset(long datasetId, List<CreateIntent> open) {
        Set<String> names = open.stream().map(CreateIntent::documentName).collect(Collectors.toSet());
        Instant oldest = open.stream().map(CreateIntent::createdAt).min(Comparator.naturalOrder()).orElseThrow();
        Instant stopBefore = oldest.minus(settings.scanMargin());
        return find(datasetId, names, stopBefore).chain(found -> {
            List<String> all = found.values().stream().flatMap(List::stream).distinct().toList();
            long none = open.stream().filter(i -> !found.containsKey(i.documentName())).count();
            if (none > 0) {
                Log.infof("%d of %d unanswered creates in dataset %d made no document (Coze lists none of their names): "
                        + "their intents are closed, and their changes are created by their retries", none, open.size(), datasetId);
            }
            return ledger.known(all).chain(known -> Multi.createFrom().iterable(open)
                    .onItem().transformToUniAndConcatenate(intent -> settle(intent,
                            found.getOrDefault(intent.documentName(), List.of()).stream()
                                    .filter(id -> !known.contains(id)).distinct().toList()))
                    .collect().last().replaceWith(open.size()));
        });
    }

    /** Adopts (or deletes) the documents Coze holds under the intent's name, or closes it when there are none. */
    private Uni<Void> settle(CreateIntent intent, List<String> documentIds) {
        return Sql.bounded(configs.findById(intent.configId()), "a configuration").chain(config -> {
            if (config == null) {
                return janitor.deleteNow(documentIds).chain(() -> intents.close(List.of(intent.id()))).replaceWithVoid();
            }
            if (documentIds.isEmpty()) {
                Log.debugf("Create intent %s (%s): Coze holds no such document; closed", intent.id(), intent.documentName());
                return intents.close(List.of(intent.id())).replaceWithVoid();
            }
            Log.infof("A create of %s/%s #%d got no answer, but Coze holds %d document(s) of its name: adopting %s",
                    intent.table(), intent.recordKey(), intent.logId(), documentIds.size(), documentIds.get(0));
            return adopt(config, intent, documentIds);
        });
    }

    /**
     * Commits the documents as if their create had been answered: the newest change still wins (one of
     * them becomes the record's pending document if the intent's change is still the one wanted), the
     * rest are marked obsolete and deleted at once. The intent closes in the same transaction.
     */
    private Uni<Void> adopt(SyncConfig config, CreateIntent intent, List<String> documentIds) {
        Change change = new Change(intent.logId(), intent.table(), intent.recordKey(), Operation.valueOf(intent.operation()),
                null, intent.capturedAt(), null);
        RenderedDocument document = new RenderedDocument(null, intent.contentHash(), List.of(), 0);
        List<Outcome> outcomes = documentIds.stream().map(id -> (Outcome) new Outcome.Created(change, document, id)).toList();
        return committer.commit(config, outcomes, List.of(intent.id()))
                .chain(result -> janitor.deleteNow(result.obsoleteDocuments()));
    }

    /** Documents with one of these names, by name, read from the listing's newest end (package-private for its test). */
    Uni<Map<String, List<String>>> find(long datasetId, Set<String> names, Instant stopBefore) {
        int size = coze.limits().listPageSize();
        Map<String, List<String>> found = new HashMap<>();
        return coze.list(datasetId, 1, size).chain(first -> {
            collect(first, names, found);
            long total = first.total();
            int served = first.documents().size();
            if (served == 0 || total <= served) {
                return Uni.createFrom().item(found);
            }
            // a server may serve fewer documents than asked (Coze documents no maximum): pages count in what it serves
            int perPage = Math.min(size, served);
            return lastPage(datasetId, total, perPage, LAST_PAGE_TRIES).chain(numbered -> {
                int lastPage = numbered.number();
                DocumentPage last = numbered.page();
                collect(last, names, found);
                Optional<Instant> firstNewest = newest(first);
                Optional<Instant> lastNewest = newest(last);
                boolean newestFirst = firstNewest.isPresent() && lastNewest.isPresent() && firstNewest.get().isAfter(lastNewest.get());
                if (newestFirst) {
                    return scan(datasetId, 2, lastPage - 1, 1, first, names, found, stopBefore);
                }
                // oldest first, by position: while this scan runs the service deletes older documents, and each
                // deletion moves the younger ones a place towards page 1. Backwards down to page 1 again (read
                // first, a document may have slid onto it since): one not yet read can only move onto pages
                // still to be read
                return scan(datasetId, lastPage - 1, 1, -1, last, names, found, stopBefore);
            });
        });
    }

    /**
     * The listing's last page, by the {@code total} read before. Documents deleted since (the janitor,
     * another client) can leave that page empty while the documents it held moved to the page before: then
     * the page that is last by the total this answer gives is read instead, up to {@code tries} times.
     */
    private Uni<NumberedPage> lastPage(long datasetId, long total, int perPage, int tries) {
        int number = (int) ((total + perPage - 1) / perPage);
        return coze.list(datasetId, number, coze.limits().listPageSize()).chain(page -> {
            if (page.documents().isEmpty() && page.total() > 0 && page.total() < total && tries > 1) {
                return lastPage(datasetId, page.total(), perPage, tries - 1);
            }
            return Uni.createFrom().item(new NumberedPage(number, page));
        });
    }

    private record NumberedPage(int number, DocumentPage page) {
    }

    /**
     * Reads pages {@code from} towards {@code to} (step ±1) until a page is older than {@code stopBefore}.
     * Forward, an empty page is the end of the listing. Backwards it only means documents were deleted since
     * the total was read (their successors moved to earlier pages, which are still to be read): go on.
     */
    private Uni<Map<String, List<String>>> scan(long datasetId, int from, int to, int step, DocumentPage previous,
            Set<String> names, Map<String, List<String>> found, Instant stopBefore) {
        boolean beyond = step > 0 ? from > to : from < to;
        if (beyond || isOlder(previous, stopBefore) || (step > 0 && previous.documents().isEmpty())) {
            return Uni.createFrom().item(found);
        }
        return coze.list(datasetId, from, coze.limits().listPageSize()).chain(page -> {
            collect(page, names, found);
            return scan(datasetId, from + step, to, step, page, names, found, stopBefore);
        });
    }

    /** True when the newest document of ours on the page was sent before {@code stopBefore}. */
    private static boolean isOlder(DocumentPage page, Instant stopBefore) {
        return newest(page).map(t -> t.isBefore(stopBefore)).orElse(false);
    }

    private static Optional<Instant> newest(DocumentPage page) {
        return page.documents().stream().map(d -> DocumentNames.parse(d.name())).flatMap(Optional::stream)
                .map(DocumentNames.Parsed::createdAt).max(Comparator.naturalOrder());
    }

    private static void collect(DocumentPage page, Set<String> names, Map<String, List<String>> found) {
        for (ListedDocument d : page.documents()) {
            if (names.contains(d.name())) {
                found.computeIfAbsent(d.name(), n -> new ArrayList<>()).add(d.documentId());
            }
        }
    }
}
