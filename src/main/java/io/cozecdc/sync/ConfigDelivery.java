package io.cozecdc.sync;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

import io.cozecdc.changelog.Change;
import io.cozecdc.common.InstanceId;
import io.cozecdc.common.Sql;
import io.cozecdc.configs.ConfigStatus;
import io.cozecdc.configs.Relation;
import io.cozecdc.configs.SyncConfig;
import io.cozecdc.failures.FailureCodes;
import io.cozecdc.fanout.DependencyIndex;
import io.cozecdc.sink.CreateAttempts;
import io.cozecdc.sink.KnowledgeBase;
import io.cozecdc.sink.KnowledgeBase.NewDocument;
import io.cozecdc.sink.SinkErrorKind;
import io.cozecdc.sink.SinkException;
import io.cozecdc.sync.documents.CreateIntent;
import io.cozecdc.sync.documents.CreateIntentRepository;
import io.cozecdc.sync.documents.DocumentJanitor;
import io.cozecdc.sync.documents.DocumentNames;
import io.cozecdc.sync.documents.RecordMapping;
import io.cozecdc.sync.documents.SyncedDocumentRepository;
import io.cozecdc.sync.related.RelatedLoader;
import io.cozecdc.sync.render.ColumnFormat;
import io.cozecdc.sync.render.RenderException;
import io.cozecdc.sync.render.RenderedDocument;
import io.cozecdc.sync.render.RowRenderer;

/**
 * Delivers one config's changes (one per record, already coalesced) to its Coze dataset: decides per
 * record (stale, unchanged, delete, create), renders, creates documents in calls of at most 10 under
 * the body cap, isolates a record Coze rejects, commits the outcome, and deletes what is no longer
 * wanted.
 */
@ApplicationScoped
public class ConfigDelivery {

    private final Pool pool;
    private final SyncedDocumentRepository synced;
    private final RowRenderer renderer;
    private final TableColumns columns;
    private final KnowledgeBase coze;
    private final SyncCommitter committer;
    private final DocumentJanitor janitor;
    private final ConfigErrors configErrors;
    private final SyncMetrics metrics;
    /**
     * How long a create waits for an earlier create of the same record and content whose outcome is not
     * known: far longer than a resolution takes (the settle time, one resolver round), so only an intent the
     * resolver cannot settle at all (Coze's listing failing for minutes) stops holding the record back.
     */
    static final Duration AWAIT_EARLIER_CREATE = Duration.ofMinutes(5);

    private final CreateIntentRepository intents;
    private final LeaseKeeper leases;
    private final IntentSettings intentSettings;
    private final InstanceId instance;
    private final Clock clock;
    private final Set<String> reportedMissing = ConcurrentHashMap.newKeySet();
    private final RelatedLoader loader;
    private final DependencyIndex dependencies;

    public ConfigDelivery(Pool pool, SyncedDocumentRepository synced, RowRenderer renderer, TableColumns columns, KnowledgeBase coze,
            SyncCommitter committer, DocumentJanitor janitor, ConfigErrors configErrors,
            SyncMetrics metrics, CreateIntentRepository intents, LeaseKeeper leases, IntentSettings intentSettings,
            InstanceId instance, Clock clock, RelatedLoader loader, DependencyIndex dependencies) {
        this.loader = loader;
        this.dependencies = dependencies;
        this.intents = intents;
        this.leases = leases;
        this.intentSettings = intentSettings;
        this.instance = instance;
        this.pool = pool;
        this.synced = synced;
        this.renderer = renderer;
        this.columns = columns;
        this.coze = coze;
        this.committer = committer;
        this.janitor = janitor;
        this.configErrors = configErrors;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Syncs the changes and returns how each ended. */
    public Uni<Map<Change, CommitStatus>> sync(SyncConfig config, List<Change> changes) {
        if (changes.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        if (config.status() == ConfigStatus.ERROR) {
            List<Outcome> held = changes.stream().map(c -> (Outcome) held(c, config.statusReason())).toList();
            return committer.commit(config, held).map(CommitResult::statuses);
        }
        if (!config.hasRelations()) {
            return deliver(config, changes, List.of());
        }
        return fresh(config, changes).chain(f -> deliver(config, f.changes(), f.locked())
                .map(statuses -> {
                    Map<Change, CommitStatus> all = new LinkedHashMap<>(statuses);
                    f.gone().forEach(c -> all.put(c, CommitStatus.STALE));
                    return all;
                }));
    }

    /**
     * A configuration with relations renders every change (its own table's, a resync's, a fan-out's) from a
     * fresh read of the parent row and its related rows ({@link RelatedLoader}), in one short transaction with
     * locking reads: they wait for any open writer of those rows and then see its committed result. So the
     * version guard stays sound: a change of the parent with a smaller log id is committed (its writer held
     * the parent's row lock when its id was allocated) or holds up the read until it is. The same transaction
     * records what each document was rendered from in the dependency index, so a writer of those rows commits
     * after it and its fan-out finds the document. A parent row that is gone is skipped (its DELETE is, or will
     * be, in the change log): no Coze call, no resurrection. A deadlock or lock wait timeout leaves the changes
     * to be tried again, without counting an attempt.
     */
    private Uni<Fresh> fresh(SyncConfig config, List<Change> changes) {
        List<Change> live = changes.stream().filter(c -> !c.operation().isDelete()).toList();
        List<String> keys = live.stream().map(Change::recordKey).distinct().toList();
        Map<String, Long> logIds = new LinkedHashMap<>();
        changes.forEach(c -> logIds.merge(c.recordKey(), c.logId(), Math::max));
        return dependencies.indexedTables(config).chain(indexed -> Sql.transaction(pool, tx -> loader.load(tx, config, keys, true)
                .call(loaded -> indexed.isEmpty() ? Uni.createFrom().voidItem()
                        : dependencies.record(tx, config.id(), logIds, dependenciesOf(loaded, indexed)))))
                .map(loaded -> {
                    List<Change> ready = new ArrayList<>();
                    List<Change> gone = new ArrayList<>();
                    for (Change c : changes) {
                        if (c.operation().isDelete()) {
                            ready.add(c);
                            continue;
                        }
                        var tree = loaded.trees().get(c.recordKey());
                        if (tree == null) {
                            gone.add(c);
                        } else {
                            ready.add(new Change(c.logId(), c.table(), c.recordKey(), c.operation(), tree, c.capturedAt(),
                                    c.targetConfigId()));
                        }
                    }
                    return new Fresh(ready, gone, List.<Outcome>of());
                })
                .onFailure(Sql::isTransient).recoverWithItem(e -> {
                    Log.warnf("Config '%s': the related rows of %d records could not be read (%s); they are tried again",
                            config.name(), keys.size(), e.getMessage());
                    List<Change> deletes = changes.stream().filter(c -> c.operation().isDelete()).toList();
                    List<Outcome> locked = live.stream().map(c -> (Outcome) new Outcome.Failed(c, FailureCodes.RELATED_ROWS_LOCKED,
                            "the related rows could not be read: " + e.getMessage(), null, false, false, true)).toList();
                    return new Fresh(deletes, List.of(), locked);
                });
    }

    private static Map<String, List<DependencyIndex.Dependency>> dependenciesOf(RelatedLoader.Loaded loaded, Set<String> indexed) {
        Map<String, List<DependencyIndex.Dependency>> result = new HashMap<>();
        loaded.reads().forEach((key, refs) -> result.put(key, refs.stream().filter(r -> indexed.contains(r.table()))
                .map(r -> new DependencyIndex.Dependency(r.table(), r.key())).toList()));
        return result;
    }

    /** Changes whose rows were read afresh (deletes as they are), those whose parent row is gone, and those that could not be read. */
    private record Fresh(List<Change> changes, List<Change> gone, List<Outcome> locked) {
    }

    private Uni<Map<Change, CommitStatus>> deliver(SyncConfig config, List<Change> changes, List<Outcome> failedBefore) {
        if (changes.isEmpty()) {
            return failedBefore.isEmpty() ? Uni.createFrom().item(Map.of())
                    : committer.commit(config, failedBefore).map(CommitResult::statuses);
        }
        List<String> keys = changes.stream().map(Change::recordKey).toList();
        Uni<Map<String, List<ColumnFormat>>> relatedColumns = config.hasRelations()
                ? columns.of(Relation.tables(config.related()))
                : Uni.createFrom().item(Map.of());
        return Sql.bounded(Uni.combine().all().unis(synced.find(pool, config.id(), keys), columns.of(config.tableName()),
                relatedColumns).asTuple(), "the records' mappings")
                .chain(found -> {
            Map<String, RecordMapping> states = found.getItem1();
            List<ColumnFormat> tableColumns = found.getItem2();
            Map<String, List<ColumnFormat>> relatedTableColumns = found.getItem3();
            Map<Change, CommitStatus> stale = new LinkedHashMap<>();
            List<Outcome> ready = new ArrayList<>(failedBefore);
            List<Pending> toCreate = new ArrayList<>();
            for (Change change : changes) {
                RecordMapping state = states.getOrDefault(change.recordKey(), RecordMapping.absent(config.id(), change.recordKey()));
                plan(config, change, tableColumns, relatedTableColumns, state, stale, ready, toCreate);
            }
            warnRenderFailures(config, ready, changes.size());
            // intents of answered creates: closed by the commit that records their documents
            List<String> answered = java.util.Collections.synchronizedList(new ArrayList<>());
            // every call of this delivery, registered before it is sent, so whatever ends the delivery
            // (commit, failure, cancellation) stops renewing all their intents
            List<IntentCall> calls = java.util.Collections.synchronizedList(new ArrayList<>());
            return awaitingEarlierCreates(config, toCreate)
                    .chain(waiting -> {
                        waiting.get(true).forEach(p -> ready.add(new Outcome.Failed(p.change(), FailureCodes.CREATE_UNRESOLVED,
                                "an earlier create of this record with the same content has no known outcome yet; "
                                        + "waiting for the create intents' resolver", null, false, false, true)));
                        return create(config, waiting.get(false), answered, calls);
                    })
                    .map(created -> {
                        List<Outcome> all = new ArrayList<>(ready);
                        all.addAll(created);
                        return all;
                    })
                    .chain(outcomes -> committer.commit(config, outcomes, List.copyOf(answered)))
                    // committed (or not: then their lease runs out and the resolver takes them over)
                    .onTermination().invoke(() -> release(calls))
                    .call(result -> janitor.deleteNow(result.obsoleteDocuments()))
                    .map(result -> {
                        observe(config, result.statuses());
                        Map<Change, CommitStatus> statuses = new LinkedHashMap<>(stale);
                        statuses.putAll(result.statuses());
                        return statuses;
                    });
        });
    }

    private void plan(SyncConfig config, Change change, List<ColumnFormat> tableColumns,
            Map<String, List<ColumnFormat>> relatedColumns, RecordMapping state, Map<Change, CommitStatus> stale,
            List<Outcome> ready, List<Pending> toCreate) {
        if (change.operation().isDelete()) {
            if (Decision.of(state, change, null) == Decision.STALE) {
                stale.put(change, CommitStatus.STALE);
            } else {
                ready.add(new Outcome.Deleted(change));
            }
            return;
        }
        if (change.data() == null) {
            ready.add(new Outcome.Failed(change, FailureCodes.RENDER_FAILED,
                    "the change carries no row data (it was cleaned from the change log); run a resync", null, true, false));
            return;
        }
        RenderedDocument doc;
        try {
            doc = config.hasRelations() ? renderer.render(config, change, tableColumns, relatedColumns)
                    : renderer.render(config, change, tableColumns);
        } catch (RenderException e) {
            ready.add(new Outcome.Failed(change, FailureCodes.RENDER_FAILED, e.getMessage(), null, true, false));
            return;
        }
        reportMissing(config, doc);
        switch (Decision.of(state, change, doc.hash())) {
            case STALE -> stale.put(change, CommitStatus.STALE);
            case UNCHANGED -> ready.add(new Outcome.Unchanged(change, doc));
            default -> {
                // a provisional name for the size estimate: the name sent is stamped when the call is sent (IntentCall)
                String name = DocumentNames.name(config.id(), change.logId(), clock.instant(), change.table(), change.recordKey());
                NewDocument newDoc = new NewDocument(name, doc.text());
                long size = coze.requestBytes(List.of(newDoc));
                if (size > coze.limits().maxBodyBytes()) {
                    ready.add(new Outcome.Failed(change, FailureCodes.TOO_LARGE, "the rendered row needs a request of about "
                            + size + " bytes, over Coze's limit of " + coze.limits().maxBodyBytes()
                            + " bytes; it is not truncated: narrow the config's fields or template", null, true, false));
                    return;
                }
                if (doc.estimatedTokens() > coze.limits().maxTokensPerDocument()) {
                    metrics.oversized(config.name());
                }
                toCreate.add(new Pending(change, doc, newDoc));
            }
        }
    }

    /**
     * The creates to hold back ({@code true}) and to send ({@code false}). Held back are those of records
     * with an open create intent of the same content, sent
     * within {@link #AWAIT_EARLIER_CREATE}. Such a create (an unanswered call, or one whose sender died
     * before committing) may well have made the document: a second create would make a duplicate for the
     * resolver to delete. The change waits instead, through the retry queue without counting an attempt,
     * until the resolver has adopted that document (the change is then unchanged) or found none.
     */
    private Uni<Map<Boolean, List<Pending>>> awaitingEarlierCreates(SyncConfig config, List<Pending> toCreate) {
        if (toCreate.isEmpty() || !intentSettings.enabled()) {
            return Uni.createFrom().item(Map.of(true, List.of(), false, toCreate));
        }
        List<String> keys = toCreate.stream().map(p -> p.change().recordKey()).toList();
        return Sql.bounded(intents.openContent(config.id(), keys, AWAIT_EARLIER_CREATE), "the records' open create intents")
                .map(open -> {
                    Map<Boolean, List<Pending>> split = toCreate.stream().collect(java.util.stream.Collectors.partitioningBy(
                            p -> open.getOrDefault(p.change().recordKey(), Set.of()).contains(p.document().hash())));
                    List<Pending> waiting = split.get(true);
                    if (!waiting.isEmpty()) {
                        Log.infof("Config '%s': %d of %d creates wait for the outcome of an earlier create of the same "
                                + "content (first: %s)", config.name(), waiting.size(), toCreate.size(),
                                waiting.get(0).change().describe());
                    }
                    return split;
                });
    }

    /** One WARN per batch and config when rows could not be rendered, with the first reason: they become dead letters. */
    private static void warnRenderFailures(SyncConfig config, List<Outcome> ready, int total) {
        List<Outcome.Failed> failed = ready.stream().filter(o -> o instanceof Outcome.Failed f
                && Integer.valueOf(FailureCodes.RENDER_FAILED).equals(f.code())).map(o -> (Outcome.Failed) o).toList();
        if (!failed.isEmpty()) {
            Outcome.Failed first = failed.get(0);
            Log.warnf("Config '%s': %d of %d rows could not be rendered and became dead letters (first: table %s, record %s: %s)",
                    config.name(), failed.size(), total, first.change().table(), first.change().recordKey(), first.message());
        }
    }

    /** Creates documents in calls of at most coze.documents-per-create (10) and under the body cap, calls running side by side. */
    private Uni<List<Outcome>> create(SyncConfig config, List<Pending> pending, List<String> answered, List<IntentCall> calls) {
        if (pending.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        AtomicBoolean refused = new AtomicBoolean();
        return Multi.createFrom().iterable(calls(pending))
                .onItem().transformToUni(call -> createCall(config, call, refused, answered, calls))
                .merge(Math.max(1, coze.limits().concurrency()))
                .collect().in(ArrayList<Outcome>::new, List::addAll)
                .map(list -> (List<Outcome>) list);
    }

    private List<List<Pending>> calls(List<Pending> pending) {
        int perCall = coze.limits().documentsPerCreate();
        return CreateCalls.split(pending, perCall, coze.limits().maxBodyBytes(),
                p -> coze.requestBytes(List.of(p.newDocument())));
    }

    private Uni<List<Outcome>> createCall(SyncConfig config, List<Pending> call, AtomicBoolean refused, List<String> answered,
            List<IntentCall> calls) {
        if (refused.get()) {
            return Uni.createFrom().item(call.stream().map(p -> (Outcome) held(p.change(), "configuration refused by Coze")).toList());
        }
        if (!intentSettings.enabled()) {
            return coze.create(config.datasetId(), CreateAttempts.of(call.stream().map(Pending::newDocument).toList()))
                    .chain(created -> matched(call, List.of(), created, answered))
                    .onFailure(SinkException.class)
                    .recoverWithUni(e -> failedCall(config, call, (SinkException) e, refused, answered, calls));
        }
        IntentCall intentCall = new IntentCall(config, call.stream().map(Pending::change).toList(),
                call.stream().map(Pending::document).toList(), intents, leases, intentSettings, instance.id());
        calls.add(intentCall);
        return coze.create(config.datasetId(), intentCall)
                .chain(created -> matched(call, intentCall.answered(), created, answered))
                .onFailure(SinkException.class)
                .recoverWithUni(e -> failedCall(config, call, (SinkException) e, refused, answered, calls));
    }

    private Uni<List<Outcome>> failedCall(SyncConfig config, List<Pending> call, SinkException e, AtomicBoolean refused,
            List<String> answered, List<IntentCall> calls) {
        if (e.kind() == SinkErrorKind.CONFIGURATION) {
            Uni<Void> mark = refused.compareAndSet(false, true) ? configErrors.markError(config, e) : Uni.createFrom().voidItem();
            return mark.onFailure().recoverWithNull().map(v -> call.stream()
                    .map(p -> (Outcome) new Outcome.Failed(p.change(), e.code(), e.getMessage(), e.logid(), false, true))
                    .toList());
        }
        if (e.kind() == SinkErrorKind.PERMANENT && call.size() > 1) {
            // one bad record fails the whole call: try each alone so only it becomes a dead letter
            Log.debugf("Coze rejected a create of %d documents (%s); retrying them one by one", call.size(), e.describe());
            return Multi.createFrom().iterable(call)
                    .onItem().transformToUniAndConcatenate(p -> createCall(config, List.of(p), refused, answered, calls))
                    .collect().in(ArrayList<Outcome>::new, List::addAll)
                    .map(list -> (List<Outcome>) list);
        }
        boolean permanent = e.kind() == SinkErrorKind.PERMANENT;
        if (permanent) {
            Log.warnf("Coze rejected %s for config '%s': %s", call.get(0).change().describe(), config.name(), e.describe());
        }
        // a throttled call is Coze asking for a slower pace (the client has lowered its rate): not an attempt
        boolean throttled = !permanent && coze.isThrottled(e);
        return Uni.createFrom().item(call.stream()
                .map(p -> (Outcome) new Outcome.Failed(p.change(), e.code(), e.getMessage(), e.logid(), permanent, false,
                        throttled))
                .toList());
    }

    /**
     * Pairs Coze's answer with the request by name (by position when names do not come back). The intents
     * of documents with an id are closed by the commit; one without an id may still exist in Coze, so its
     * intent goes to the resolver.
     */
    private Uni<List<Outcome>> matched(List<Pending> call, List<CreateIntent> sent, List<KnowledgeBase.CreatedDocument> created,
            List<String> answered) {
        Map<String, String> idByName = new HashMap<>();
        created.forEach(c -> idByName.put(c.name(), c.documentId()));
        List<Outcome> outcomes = new ArrayList<>();
        List<String> unanswered = new ArrayList<>();
        for (int i = 0; i < call.size(); i++) {
            Pending p = call.get(i);
            CreateIntent intent = i < sent.size() ? sent.get(i) : null;
            String name = intent != null ? intent.documentName() : p.newDocument().name();
            String id = idByName.get(name);
            if (id == null && created.size() == call.size()) {
                id = created.get(i).documentId();
            }
            boolean missing = id == null || id.isBlank();
            if (intent != null) {
                (missing ? unanswered : answered).add(intent.id());
            }
            outcomes.add(missing
                    ? new Outcome.Failed(p.change(), null, "Coze accepted the call but returned no document id", null, false, false)
                    : new Outcome.Created(p.change(), p.document(), id));
        }
        if (unanswered.isEmpty()) {
            return Uni.createFrom().item(outcomes);
        }
        leases.dropIntents(unanswered);
        return Sql.bounded(intents.lease(unanswered, intentSettings.settle()), "handing create intents to the resolver")
                .onFailure().recoverWithNull().replaceWith(outcomes);
    }

    private static void release(List<IntentCall> calls) {
        List<IntentCall> all;
        synchronized (calls) {
            all = List.copyOf(calls);
        }
        all.forEach(IntentCall::release);
    }

    private static Outcome.Failed held(Change change, String reason) {
        return new Outcome.Failed(change, FailureCodes.CONFIG_ERROR, "held: " + reason, null, false, true);
    }

    private void reportMissing(SyncConfig config, RenderedDocument doc) {
        for (String field : doc.missingFields()) {
            if (reportedMissing.add(config.id() + "/" + field)) {
                Log.warnf("Sync configuration '%s' lists field '%s', which table %s no longer has; it is left out "
                        + "of the documents. Update the configuration's fields.", config.name(), field, config.tableName());
            }
        }
    }

    private void observe(SyncConfig config, Map<Change, CommitStatus> statuses) {
        Instant now = clock.instant();
        statuses.forEach((change, status) -> {
            if (status == CommitStatus.SYNCED || status == CommitStatus.UNCHANGED || status == CommitStatus.DELETED) {
                metrics.lag(change.capturedAt(), now);
            }
        });
    }

    /** A change waiting for its document to be created. */
    private record Pending(Change change, RenderedDocument document, NewDocument newDocument) {
    }
}
