package io.cozecdc.sync.documents;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

import io.cozecdc.common.Sql;
import io.cozecdc.failures.FailureRepository;

/**
 * Coze finished processing documents. A document that is still its record's wanted replacement
 * becomes the live one and the previous one is marked for deletion (only now, so the bot never loses
 * the row); a document that is not wanted any more is marked for deletion itself. All the documents of
 * one progress check are committed in one transaction per configuration, with set-based statements:
 * one transaction per document made the tracker the database's busiest client.
 */
@ApplicationScoped
public class Promoter {

    static final String REPLACED = "replaced by a newer processed document";
    static final String SUPERSEDED = "superseded while processing";

    private final Pool pool;
    private final SyncedDocumentRepository synced;
    private final LedgerRepository ledger;
    private final FailureRepository failures;
    private final Clock clock;

    public Promoter(Pool pool, SyncedDocumentRepository synced, LedgerRepository ledger, FailureRepository failures, Clock clock) {
        this.pool = pool;
        this.synced = synced;
        this.ledger = ledger;
        this.failures = failures;
        this.clock = clock;
    }

    /** Promotes the documents; returns the documents to delete from Coze. */
    public Uni<List<String>> promote(List<LedgerDocument> docs) {
        if (docs.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Map<Long, List<LedgerDocument>> byConfig = docs.stream()
                .collect(Collectors.groupingBy(LedgerDocument::configId, LinkedHashMap::new, Collectors.toList()));
        return Multi.createFrom().iterable(byConfig.values())
                .onItem().transformToUniAndConcatenate(this::promoteOfConfig)
                .collect().in(ArrayList<String>::new, List::addAll)
                .map(list -> (List<String>) list);
    }

    private Uni<List<String>> promoteOfConfig(List<LedgerDocument> docs) {
        long configId = docs.get(0).configId();
        List<String> keys = docs.stream().map(LedgerDocument::recordKey).distinct().toList();
        return Sql.transaction(pool, conn -> {
            Instant now = clock.instant();
            return synced.lockIfPresent(conn, configId, keys).chain(locked -> {
                Plan plan = plan(docs, locked);
                return synced.save(conn, List.copyOf(plan.states.values()), now)
                        .chain(() -> ledger.markDone(conn, plan.done))
                        .chain(() -> failures.resolve(conn, configId, plan.resolved))
                        // the caller deletes them at once; the sweep is the safety net
                        .chain(() -> ledger.markObsolete(conn, plan.replaced, REPLACED, now))
                        .chain(() -> ledger.markObsolete(conn, plan.superseded, SUPERSEDED, now))
                        .replaceWith(plan::obsolete);
            });
        });
    }

    /** The decisions for documents of one configuration, given their records' locked states. */
    static Plan plan(List<LedgerDocument> docs, Map<String, RecordMapping> locked) {
        Map<String, RecordMapping> current = new HashMap<>(locked);
        Plan plan = new Plan();
        for (LedgerDocument doc : docs) {
            String key = doc.recordKey();
            RecordMapping state = current.get(key);
            if (state != null && doc.documentId().equals(state.pendingDocumentId())) {
                if (state.documentId() != null) {
                    plan.replaced.add(state.documentId());
                }
                RecordMapping promoted = state.promoted();
                current.put(key, promoted);
                plan.states.put(key, promoted);
                plan.done.add(doc.documentId());
                plan.resolved.merge(key, doc.logId(), Math::max);
            } else if (state != null && doc.documentId().equals(state.documentId())) {
                plan.done.add(doc.documentId());
            } else {
                plan.superseded.add(doc.documentId());
            }
        }
        return plan;
    }

    /** What one promotion writes. */
    static final class Plan {
        final Map<String, RecordMapping> states = new LinkedHashMap<>();
        final List<String> done = new ArrayList<>();
        final Map<String, Long> resolved = new HashMap<>();
        final List<String> replaced = new ArrayList<>();
        final List<String> superseded = new ArrayList<>();

        List<String> obsolete() {
            List<String> all = new ArrayList<>(replaced);
            all.addAll(superseded);
            return all;
        }
    }
}
