package io.cozecdc.sync.documents;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

import io.cozecdc.common.BoundedText;
import io.cozecdc.common.Sql;
import io.cozecdc.common.Timestamps;

/** SQL for coze_documents: every document the service created and has not yet seen deleted. */
@ApplicationScoped
public class LedgerRepository {

    static final String COLUMNS = "document_id, config_id, dataset_id, record_key, log_id, content_hash, state, "
            + "state_reason, captured_at, created_at, next_check_at, delete_attempts";
    static final String INSERT = "INSERT INTO coze_documents (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    static final String OBSOLETE = "UPDATE coze_documents SET state = 'OBSOLETE', state_reason = ?, next_check_at = ? "
            + "WHERE state <> 'OBSOLETE' AND document_id IN ";
    static final String OBSOLETE_IF_PROCESSING = "UPDATE coze_documents SET state = 'OBSOLETE', state_reason = ?, "
            + "next_check_at = ? WHERE document_id = ? AND state = 'PROCESSING'";
    static final String DONE = "UPDATE coze_documents SET state = 'DONE', state_reason = NULL WHERE document_id IN ";
    /**
     * Due work of one state, oldest first: the ids only, read without locks. The tracker (PROCESSING) and the
     * janitor (OBSOLETE) claim through one index, (state, next_check_at), at the same moments: a locking read of
     * this range also locked the entry after it, the most overdue document of the next state, and SKIP LOCKED
     * made the other job pass over exactly that document as long as the two claims kept meeting.
     */
    static final String DUE = "SELECT document_id FROM coze_documents WHERE state = ? AND next_check_at <= NOW(3) "
            + "ORDER BY next_check_at LIMIT ?";
    /** Those of the due documents still due, locked by primary key, skipping rows another replica is taking right now. */
    static final String CLAIM = "SELECT " + COLUMNS + " FROM coze_documents FORCE INDEX (PRIMARY) WHERE state = ? "
            + "AND next_check_at <= NOW(3) AND document_id IN ";
    /** Moves the next check to {@code NOW(3) + ?}: a lease between replicas judged on the database's clock. */
    static final String LEASE = "UPDATE coze_documents SET next_check_at = DATE_ADD(NOW(3), INTERVAL ? MICROSECOND) "
            + "WHERE state = ? AND document_id IN ";
    /** Finding 9: only a document still PROCESSING may be failed (another replica may have promoted it). */
    static final String POSTPONE = "UPDATE coze_documents SET next_check_at = ? WHERE document_id IN ";
    static final String DELETE_FAILED = "UPDATE coze_documents SET delete_attempts = delete_attempts + 1, next_check_at = ?, "
            + "state_reason = ? WHERE document_id IN ";
    /** Only documents marked for deletion are forgotten: a row another commit just made live stays. */
    static final String REMOVE = "DELETE FROM coze_documents WHERE state = 'OBSOLETE' AND document_id IN ";
    static final String KNOWN = "SELECT document_id FROM coze_documents WHERE document_id IN ";
    static final String FIND = "SELECT " + COLUMNS + " FROM coze_documents WHERE document_id = ?";
    /** Served by idx_coze_documents_work: only the (few) documents in the given state are read. */
    static final String COUNT_IN_STATE = "SELECT config_id, COUNT(*) AS n FROM coze_documents WHERE state = ? GROUP BY config_id";
    static final String OBSOLETE_CONFIG = "UPDATE coze_documents SET state = 'OBSOLETE', state_reason = ?, next_check_at = ? "
            + "WHERE config_id = ? AND state <> 'OBSOLETE'";
    static final String FORGET_CONFIG = "DELETE FROM coze_documents WHERE config_id = ?";

    private final Pool pool;

    public LedgerRepository(Pool pool) {
        this.pool = pool;
    }

    /** The pool, for single statements outside a transaction. */
    public Pool pool() {
        return pool;
    }

    public Uni<Void> insert(SqlClient client, List<LedgerDocument> docs) {
        if (docs.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> batch = docs.stream().map(d -> Tuple.tuple().addString(d.documentId()).addLong(d.configId())
                .addLong(d.datasetId()).addString(d.recordKey()).addLong(d.logId()).addString(d.contentHash())
                .addString(d.state().name()).addString(BoundedText.cut(d.stateReason(), BoundedText.REASON)).addLocalDateTime(Timestamps.toDb(d.capturedAt()))
                .addLocalDateTime(Timestamps.toDb(d.createdAt())).addLocalDateTime(Timestamps.toDb(d.nextCheckAt()))
                .addInteger(d.deleteAttempts())).toList();
        return client.preparedQuery(INSERT).executeBatch(batch).replaceWithVoid();
    }

    /**
     * Marks documents for deletion from Coze. Every caller deletes them at once after its commit, so the
     * janitor's sweep takes them only from {@code now} + {@link DocumentJanitor#HANDOVER}, catching what the
     * immediate deletion missed.
     */
    public Uni<Void> markObsolete(SqlClient client, List<String> documentIds, String reason, Instant now) {
        if (documentIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Tuple params = Tuple.of(BoundedText.cut(reason, BoundedText.REASON), Timestamps.toDb(now.plus(DocumentJanitor.HANDOVER)));
        documentIds.forEach(params::addString);
        return client.preparedQuery(OBSOLETE + Sql.inList(documentIds.size())).execute(params).replaceWithVoid();
    }

    /**
     * Marks one document for deletion only if it is still PROCESSING (not promoted or replaced since it
     * was read); true when it was. Like {@link #markObsolete}, the caller deletes it at once.
     */
    public Uni<Boolean> markObsoleteIfProcessing(SqlClient client, String documentId, String reason, Instant now) {
        return client.preparedQuery(OBSOLETE_IF_PROCESSING)
                .execute(Tuple.of(BoundedText.cut(reason, BoundedText.REASON),
                        Timestamps.toDb(now.plus(DocumentJanitor.HANDOVER)), documentId))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Marks documents processed (live or kept). */
    public Uni<Void> markDone(SqlClient client, List<String> documentIds) {
        if (documentIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Tuple params = Tuple.tuple();
        documentIds.forEach(params::addString);
        return client.preparedQuery(DONE + Sql.inList(documentIds.size())).execute(params).replaceWithVoid();
    }

    /** The document, or null. */
    public Uni<LedgerDocument> find(SqlClient client, String documentId) {
        return client.preparedQuery(FIND).execute(Tuple.of(documentId))
                .map(rows -> rows.iterator().hasNext() ? from(rows.iterator().next()) : null);
    }

    /**
     * Takes up to {@code limit} due documents of a state and moves their next check {@code leaseUntil - now}
     * ahead, in one short transaction, so replicas do not work on the same ones. Due and lease are judged
     * on the database's clock.
     */
    public Uni<List<LedgerDocument>> claim(LedgerState state, Instant now, int limit, Instant leaseUntil) {
        return Sql.transaction(pool, conn -> claim(conn, state, now, limit, leaseUntil));
    }

    /**
     * {@link #claim(LedgerState, Instant, int, Instant)} in the caller's transaction: it locks the documents it
     * takes, and only those, until that transaction ends.
     */
    public Uni<List<LedgerDocument>> claim(SqlClient conn, LedgerState state, Instant now, int limit, Instant leaseUntil) {
        java.time.Duration lease = java.time.Duration.between(now, leaseUntil);
        return conn.preparedQuery(DUE).execute(Tuple.of(state.name(), limit))
                .chain(rows -> {
                    List<String> due = new ArrayList<>();
                    rows.forEach(r -> due.add(r.getString("document_id")));
                    if (due.isEmpty()) {
                        return Uni.createFrom().item(List.<LedgerDocument>of());
                    }
                    Tuple params = Tuple.of(state.name());
                    due.forEach(params::addString);
                    return conn.preparedQuery(CLAIM + Sql.inList(due.size()) + " ORDER BY next_check_at FOR UPDATE SKIP LOCKED")
                            .execute(params).map(LedgerRepository::all);
                })
                .call(docs -> docs.isEmpty() ? Uni.createFrom().voidItem() : lease(conn, state, ids(docs), lease));
    }

    /** Moves the next check of documents still in {@code state} to {@code NOW(3) + lease} (claims and their renewal). */
    public Uni<Void> lease(SqlClient client, LedgerState state, List<String> documentIds, java.time.Duration lease) {
        if (documentIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Tuple params = Tuple.of(Math.max(0, lease.toNanos() / 1000), state.name());
        documentIds.forEach(params::addString);
        return client.preparedQuery(LEASE + Sql.inList(documentIds.size())).execute(params).replaceWithVoid();
    }

    public Uni<Void> postpone(SqlClient client, List<String> documentIds, Instant until) {
        if (documentIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Tuple params = Tuple.of(Timestamps.toDb(until));
        documentIds.forEach(params::addString);
        return client.preparedQuery(POSTPONE + Sql.inList(documentIds.size())).execute(params).replaceWithVoid();
    }

    /** Records a failed deletion and when to try again. */
    public Uni<Void> deleteFailed(List<String> documentIds, String reason, Instant retryAt) {
        Tuple params = Tuple.of(Timestamps.toDb(retryAt), BoundedText.cut(reason, BoundedText.REASON));
        documentIds.forEach(params::addString);
        return pool.preparedQuery(DELETE_FAILED + Sql.inList(documentIds.size())).execute(params).replaceWithVoid();
    }

    /** Forgets documents Coze confirmed deleted. */
    public Uni<Void> remove(List<String> documentIds) {
        if (documentIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Tuple params = Tuple.tuple();
        documentIds.forEach(params::addString);
        return pool.preparedQuery(REMOVE + Sql.inList(documentIds.size())).execute(params).replaceWithVoid();
    }

    /** Which of these ids the ledger knows. */
    public Uni<Set<String>> known(List<String> documentIds) {
        if (documentIds.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        Tuple params = Tuple.tuple();
        documentIds.forEach(params::addString);
        return pool.preparedQuery(KNOWN + Sql.inList(documentIds.size())).execute(params).map(rows -> {
            Set<String> ids = new HashSet<>();
            rows.forEach(r -> ids.add(r.getString(0)));
            return ids;
        });
    }

    /** Documents in a state, per config. */
    public Uni<Map<Long, Long>> countInState(LedgerState state) {
        return pool.preparedQuery(COUNT_IN_STATE).execute(Tuple.of(state.name())).map(rows -> {
            Map<Long, Long> counts = new java.util.HashMap<>();
            rows.forEach(r -> counts.put(r.getLong("config_id"), r.getLong("n")));
            return counts;
        });
    }

    /** Marks every wanted document of a config for deletion from Coze; returns how many. */
    public Uni<Integer> markConfigObsolete(SqlClient client, long configId, String reason, Instant now) {
        return client.preparedQuery(OBSOLETE_CONFIG).execute(Tuple.of(BoundedText.cut(reason, BoundedText.REASON), Timestamps.toDb(now), configId))
                .map(RowSet::rowCount);
    }

    /** Forgets a config's documents without deleting them from Coze (keepDocuments). */
    public Uni<Integer> forgetConfig(SqlClient client, long configId) {
        return client.preparedQuery(FORGET_CONFIG).execute(Tuple.of(configId)).map(RowSet::rowCount);
    }

    public static List<String> ids(List<LedgerDocument> docs) {
        return docs.stream().map(LedgerDocument::documentId).toList();
    }

    static LedgerDocument from(Row row) {
        return new LedgerDocument(row.getString("document_id"), row.getLong("config_id"), row.getLong("dataset_id"),
                row.getString("record_key"), row.getLong("log_id"), row.getString("content_hash"),
                LedgerState.valueOf(row.getString("state")), row.getString("state_reason"),
                Timestamps.fromDb(row.getLocalDateTime("captured_at")), Timestamps.fromDb(row.getLocalDateTime("created_at")),
                Timestamps.fromDb(row.getLocalDateTime("next_check_at")), row.getInteger("delete_attempts"));
    }

    private static List<LedgerDocument> all(RowSet<Row> rows) {
        List<LedgerDocument> docs = new ArrayList<>();
        rows.forEach(r -> docs.add(from(r)));
        return docs;
    }
}
