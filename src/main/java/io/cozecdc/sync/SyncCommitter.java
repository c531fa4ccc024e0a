package io.cozecdc.sync;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

import io.cozecdc.changelog.Change;
import io.cozecdc.changelog.ChangeLogRepository;
import io.cozecdc.common.Sql;
import io.cozecdc.configs.SyncConfig;
import io.cozecdc.configs.SyncConfigRepository;
import io.cozecdc.failures.FailureCodes;
import io.cozecdc.failures.FailurePolicy;
import io.cozecdc.failures.FailurePolicy.Kind;
import io.cozecdc.failures.FailureRecord;
import io.cozecdc.failures.FailureRepository;
import io.cozecdc.failures.FailureStatus;
import io.cozecdc.sync.documents.CreateIntentRepository;
import io.cozecdc.sync.documents.DocumentJanitor;
import io.cozecdc.sync.documents.LedgerDocument;
import io.cozecdc.sync.documents.LedgerRepository;
import io.cozecdc.sync.documents.LedgerState;
import io.cozecdc.sync.documents.RecordMapping;
import io.cozecdc.sync.documents.SyncedDocumentRepository;
import io.cozecdc.sync.render.RenderedDocument;

/**
 * Commits what happened to a config's changes, in one transaction over the records' locked rows:
 * the version guard is applied again there, so of two replicas holding changes of one record the
 * newer always wins and the loser's document is marked for deletion. Writes the document map, the
 * document ledger and the failures together.
 */
@ApplicationScoped
public class SyncCommitter {

    private final Pool pool;
    private final SyncedDocumentRepository synced;
    private final LedgerRepository ledger;
    private final FailureRepository failures;
    private final ChangeLogRepository changeLog;
    private final SyncConfigRepository configs;
    private final FailurePolicy policy;
    private final SyncSettings settings;
    private final CreateIntentRepository intents;
    private final Clock clock;

    public SyncCommitter(Pool pool, SyncedDocumentRepository synced, LedgerRepository ledger, FailureRepository failures,
            ChangeLogRepository changeLog, SyncConfigRepository configs, FailurePolicy policy, SyncSettings settings,
            CreateIntentRepository intents, Clock clock) {
        this.intents = intents;
        this.pool = pool;
        this.synced = synced;
        this.ledger = ledger;
        this.failures = failures;
        this.changeLog = changeLog;
        this.configs = configs;
        this.policy = policy;
        this.settings = settings;
        this.clock = clock;
    }

    public Uni<CommitResult> commit(SyncConfig config, List<Outcome> outcomes) {
        return commit(config, outcomes, List.of());
    }

    /**
     * Commits the outcomes and, in the same transaction, closes the create intents whose documents they
     * record: an intent is open exactly until its document is in the ledger (or known not to exist).
     */
    public Uni<CommitResult> commit(SyncConfig config, List<Outcome> outcomes, List<String> closeIntents) {
        if (outcomes.isEmpty()) {
            return intents.close(closeIntents).replaceWith(new CommitResult(Map.of(), List.of()));
        }
        List<String> keys = outcomes.stream().map(o -> o.change().recordKey()).distinct().toList();
        return Sql.transaction(pool, conn -> {
            Instant now = clock.instant();
            return configs.lockShared(conn, config.id()).chain(exists -> !exists
                    ? configGone(conn, config, outcomes, now).call(() -> intents.close(conn, closeIntents))
                    : synced.lock(conn, config.id(), keys, now)
                            .chain(states -> failures.find(conn, config.id(), keys)
                                    .map(open -> plan(config, outcomes, states, open, now)))
                            .call(plan -> write(conn, config, plan, now))
                            .call(() -> intents.close(conn, closeIntents))
                            .map(plan -> new CommitResult(plan.statuses, plan.obsolete)));
        });
    }

    /**
     * The configuration was deleted while its work was in flight: nothing of it is written back (no
     * mapping, no failure). The documents Coze created for it are recorded OBSOLETE and returned, so
     * they are deleted at once (the janitor's sweep is the safety net). Every change is STALE.
     */
    private Uni<CommitResult> configGone(SqlConnection conn, SyncConfig config, List<Outcome> outcomes, Instant now) {
        Plan plan = new Plan();
        for (Outcome outcome : outcomes) {
            if (outcome instanceof Outcome.Created c) {
                plan.ledger.add(ledgerRow(config, c.change(), c, LedgerState.OBSOLETE, "sync configuration deleted", now,
                        now.plus(DocumentJanitor.HANDOVER)));
                plan.obsolete.add(c.documentId());
            }
            plan.statuses.put(outcome.change(), CommitStatus.STALE);
        }
        io.quarkus.logging.Log.infof("Sync configuration '%s' was deleted while %d of its changes were in flight: "
                + "nothing of them is kept, %d documents they created will be deleted", config.name(), outcomes.size(),
                plan.obsolete.size());
        return ledger.insert(conn, plan.ledger).replaceWith(new CommitResult(plan.statuses, plan.obsolete));
    }

    private Plan plan(SyncConfig config, List<Outcome> outcomes, Map<String, RecordMapping> locked,
            Map<String, FailureRecord> open, Instant now) {
        Plan plan = new Plan();
        for (Outcome outcome : outcomes) {
            Change change = outcome.change();
            String key = change.recordKey();
            RecordMapping state = plan.states.getOrDefault(key, locked.getOrDefault(key, RecordMapping.absent(config.id(), key)));
            plan.statuses.put(change, apply(config, outcome, state, plan, now, open.get(key)));
        }
        return plan;
    }

    private CommitStatus apply(SyncConfig config, Outcome outcome, RecordMapping state, Plan plan, Instant now,
            FailureRecord open) {
        if (outcome instanceof Outcome.Created c) {
            return created(config, c, state, plan, now);
        }
        if (outcome instanceof Outcome.Unchanged u) {
            return unchanged(config, u.change(), u.document(), state, plan, now, open);
        }
        if (outcome instanceof Outcome.Deleted d) {
            return deleted(d.change(), state, plan);
        }
        return failed(config, (Outcome.Failed) outcome, state, plan, now, open);
    }

    private CommitStatus created(SyncConfig config, Outcome.Created c, RecordMapping state, Plan plan, Instant now) {
        Change change = c.change();
        Decision decision = Decision.of(state, change, c.document().hash());
        if (decision != Decision.CREATE) {
            // another change got there first: this document is not wanted
            plan.ledger.add(ledgerRow(config, change, c, LedgerState.OBSOLETE, "superseded before commit", now,
                    now.plus(DocumentJanitor.HANDOVER)));
            plan.obsolete.add(c.documentId());
            if (decision == Decision.UNCHANGED) {
                return unchanged(config, change, c.document(), state, plan, now, null);
            }
            return CommitStatus.STALE;
        }
        if (state.pendingDocumentId() != null) {
            plan.obsolete.add(state.pendingDocumentId());
        }
        plan.states.put(change.recordKey(), state.withPending(c.documentId(), c.document().hash(), change.logId()));
        plan.ledger.add(ledgerRow(config, change, c, LedgerState.PROCESSING, null, now,
                now.plus(ProcessingTracker.nextCheck(settings))));
        // the change's own failure (if this is a retry) stays until Coze has processed the new upload
        plan.inFlight.merge(change.recordKey(), change.logId(), Math::max);
        return CommitStatus.SYNCED;
    }

    private CommitStatus unchanged(SyncConfig config, Change change, RenderedDocument doc, RecordMapping state, Plan plan,
            Instant now, FailureRecord open) {
        Decision decision = Decision.of(state, change, doc.hash());
        if (decision == Decision.STALE) {
            return CommitStatus.STALE;
        }
        if (decision == Decision.CREATE) {
            // the record changed under us (e.g. its replacement just failed processing): go round again
            return record(config, change, FailureCodes.CONFLICT, "record changed while committing; retrying",
                    null, plan, now, open, false, true);
        }
        RecordMapping next = state;
        if (state.pendingDocumentId() != null && !doc.hash().equals(state.pendingContentHash())) {
            // the live document already has this content: the replacement in flight is not wanted
            plan.obsolete.add(state.pendingDocumentId());
            next = next.withoutPending();
        }
        plan.states.put(change.recordKey(), next.withLastLogId(change.logId()));
        plan.resolved.merge(change.recordKey(), change.logId(), Math::max);
        return CommitStatus.UNCHANGED;
    }

    private CommitStatus deleted(Change change, RecordMapping state, Plan plan) {
        if (Decision.of(state, change, null) == Decision.STALE) {
            return CommitStatus.STALE;
        }
        if (state.documentId() != null) {
            plan.obsolete.add(state.documentId());
        }
        if (state.pendingDocumentId() != null) {
            plan.obsolete.add(state.pendingDocumentId());
        }
        plan.states.put(change.recordKey(), state.tombstone(change.logId()));
        plan.resolved.merge(change.recordKey(), change.logId(), Math::max);
        return CommitStatus.DELETED;
    }

    private CommitStatus failed(SyncConfig config, Outcome.Failed f, RecordMapping state, Plan plan, Instant now,
            FailureRecord open) {
        if (state.lastLogId() > f.change().logId()) {
            return CommitStatus.STALE;
        }
        return record(config, f.change(), f.code(), f.message(), f.logid(), plan, now, open, f.permanent(), f.held(),
                f.throttled());
    }

    private CommitStatus record(SyncConfig config, Change change, Integer code, String message, String logid, Plan plan,
            Instant now, FailureRecord open, boolean permanent, boolean notAnAttempt) {
        return record(config, change, code, message, logid, plan, now, open, permanent, notAnAttempt, false);
    }

    /**
     * Records (or updates) the record's open failure as the failure queue's rules say
     * ({@link FailurePolicy}): attempts, backoff, RETRYING or DEAD, or STALE when a newer change of the
     * record already waits in the queue.
     */
    private CommitStatus record(SyncConfig config, Change change, Integer code, String message, String logid, Plan plan,
            Instant now, FailureRecord open, boolean permanent, boolean held, boolean throttled) {
        Kind kind = permanent ? Kind.PERMANENT : held ? Kind.HELD : throttled ? Kind.THROTTLED : Kind.ATTEMPT;
        Optional<FailureRecord> failure = policy.failed(config.id(), change, kind, code, message, logid, open, now);
        if (failure.isEmpty()) {
            return CommitStatus.STALE;
        }
        plan.failures.add(failure.get());
        if (failure.get().status() == FailureStatus.DEAD) {
            return CommitStatus.DEAD;
        }
        return code != null && code == FailureCodes.CONFIG_ERROR ? CommitStatus.HELD : CommitStatus.RETRYING;
    }

    /**
     * Coze failed to process a document (or did not finish in time). It is marked for deletion if it is
     * still PROCESSING (a replica with a newer progress answer may have promoted it meanwhile); if it
     * was the record's wanted replacement, the record goes to the retry queue to be uploaded again (the
     * old document stays live meanwhile), under its newest accepted change: a later change whose text
     * equalled this document's raised the record's guard without a call of its own, and a retry of the
     * document's older change would be judged stale. Returns the documents to delete.
     */
    public Uni<List<String>> processingFailed(SyncConfig config, LedgerDocument doc, int code, String reason) {
        return Sql.transaction(pool, conn -> {
            Instant now = clock.instant();
            return synced.lockIfPresent(conn, doc.configId(), doc.recordKey())
                    .chain(state -> ledger.markObsoleteIfProcessing(conn, doc.documentId(), reason, now).chain(marked -> {
                if (!marked) {
                    // promoted (or replaced) meanwhile, by another replica whose progress answer was newer:
                    // the document may be live now, so it must not be deleted
                    return Uni.createFrom().item(List.<String>of());
                }
                Uni<Void> work = Uni.createFrom().voidItem();
                if (state != null && doc.documentId().equals(state.pendingDocumentId())) {
                    long newest = Math.max(state.lastLogId(), doc.logId());
                    work = work.chain(() -> synced.save(conn, List.of(state.withoutPending()), now))
                            .chain(() -> changeLog.find(List.of(newest, doc.logId())))
                            .chain(changes -> failures.find(conn, config.id(), List.of(doc.recordKey()))
                                    .chain(open -> {
                                        Change failed = requeued(config, doc, newest, changes, open.get(doc.recordKey()));
                                        boolean noPayload = failed.data() == null;
                                        String message = noPayload
                                                ? reason + "; the change is no longer in the change log: run a resync"
                                                : reason;
                                        Plan plan = new Plan();
                                        record(config, failed, code, message, null, plan, now, open.get(doc.recordKey()),
                                                noPayload, false);
                                        return failures.upsert(conn, plan.failures);
                                    }));
                }
                return work.replaceWith(List.of(doc.documentId()));
            }));
        });
    }

    /**
     * The change to upload again, under the record's newest accepted change {@code newest}, with the
     * first payload found of: its change-log row; the open failure of it (a retry carries its payload
     * for its whole life, long after the change log was cleaned); the failed document's own change (same
     * rendered text, by the UNCHANGED rule that let {@code newest} through), from the change log or from
     * the open failure. Without any, a change without payload (only a resync can help then).
     */
    private static Change requeued(SyncConfig config, LedgerDocument doc, long newest, Map<Long, Change> changes,
            FailureRecord open) {
        for (long logId : new long[] { newest, doc.logId() }) {
            Change logged = changes.get(logId);
            if (logged != null && logged.data() != null) {
                return new Change(newest, logged.table(), logged.recordKey(), logged.operation(), logged.data(),
                        logged.capturedAt(), null);
            }
            if (open != null && open.logId() == logId && open.payload() != null) {
                return new Change(newest, open.tableName(), open.recordKey(),
                        io.cozecdc.changelog.Operation.valueOf(open.operation()), open.payload(), open.capturedAt(), null);
            }
        }
        return new Change(newest, config.tableName(), doc.recordKey(), io.cozecdc.changelog.Operation.UPDATE, null,
                doc.capturedAt(), null);
    }

    private Uni<Void> write(SqlConnection conn, SyncConfig config, Plan plan, Instant now) {
        return ledger.insert(conn, plan.ledger)
                // the caller deletes these at once (ConfigDelivery); the sweep is the safety net
                .chain(() -> ledger.markObsolete(conn, withoutNew(plan), "replaced or deleted", now))
                .chain(() -> synced.save(conn, List.copyOf(plan.states.values()), now))
                .chain(() -> failures.upsert(conn, plan.failures))
                .chain(() -> failures.resolve(conn, config.id(), plan.resolved))
                .chain(() -> failures.resolveOlderAndPark(conn, config.id(), plan.inFlight));
    }

    /** Documents inserted as OBSOLETE in this commit need no update. */
    private static List<String> withoutNew(Plan plan) {
        List<String> inserted = plan.ledger.stream().filter(d -> d.state() == LedgerState.OBSOLETE)
                .map(LedgerDocument::documentId).toList();
        return plan.obsolete.stream().filter(id -> !inserted.contains(id)).distinct().toList();
    }

    private static LedgerDocument ledgerRow(SyncConfig config, Change change, Outcome.Created c, LedgerState state,
            String reason, Instant now, Instant nextCheck) {
        return new LedgerDocument(c.documentId(), config.id(), config.datasetId(), change.recordKey(), change.logId(),
                c.document().hash(), state, reason, change.capturedAt(), now, nextCheck, 0);
    }

    /** Everything one commit writes. */
    private static final class Plan {
        final Map<String, RecordMapping> states = new LinkedHashMap<>();
        final List<LedgerDocument> ledger = new ArrayList<>();
        final List<String> obsolete = new ArrayList<>();
        final List<FailureRecord> failures = new ArrayList<>();
        final Map<String, Long> resolved = new HashMap<>();
        final Map<String, Long> inFlight = new HashMap<>();
        final Map<Change, CommitStatus> statuses = new LinkedHashMap<>();
    }
}
