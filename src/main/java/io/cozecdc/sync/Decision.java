package io.cozecdc.sync;

import io.cozecdc.changelog.Change;
import io.cozecdc.sync.documents.RecordMapping;

/**
 * What a change means for a record, given what Coze holds for it. The same rules run twice: before
 * calling Coze (on a plain read, to skip needless calls) and in the commit (on the locked row, where
 * they are authoritative).
 */
public enum Decision {
    /** A newer change was already accepted: nothing to do. */
    STALE,
    /** Coze already holds (or is processing) exactly this content: nothing to create. */
    UNCHANGED,
    /** The record is gone: tombstone it and delete its documents. */
    DELETE,
    /** New content: create a document. */
    CREATE;

    /**
     * @param state what synced_documents holds for the record
     * @param change the change
     * @param hash hash of the change's rendered text (ignored for deletes)
     */
    public static Decision of(RecordMapping state, Change change, String hash) {
        long logId = change.logId();
        if (state.lastLogId() > logId) {
            return STALE;
        }
        if (change.operation().isDelete()) {
            return state.deleted() && state.lastLogId() >= logId ? STALE : DELETE;
        }
        if (!state.deleted() && (hash.equals(state.pendingContentHash())
                || (state.documentId() != null && hash.equals(state.contentHash())))) {
            return UNCHANGED;
        }
        return CREATE;
    }
}
