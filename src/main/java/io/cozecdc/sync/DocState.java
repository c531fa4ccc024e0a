package io.cozecdc.sync;

/**
 * A row of synced_documents: what Coze holds for one record of one config.
 *
 * @param documentId         the live document (processing finished), or null
 * @param contentHash        hash of the live document's text
 * @param lastLogId          the newest change accepted for the record (0 when none): the version guard
 * @param deleted            tombstone: the record was deleted at lastLogId
 * @param pendingDocumentId  a replacement Coze is still processing, or null
 * @param pendingContentHash hash of the replacement's text
 */
public record DocState(long configId, String recordKey, String documentId, String contentHash, long lastLogId,
        boolean deleted, String pendingDocumentId, String pendingContentHash) {

    /** A record the service never synced. */
    public static DocState absent(long configId, String recordKey) {
        return new DocState(configId, recordKey, null, null, 0, false, null, null);
    }

    public DocState withPending(String docId, String hash, long logId) {
        return new DocState(configId, recordKey, documentId, contentHash, logId, false, docId, hash);
    }

    public DocState withoutPending() {
        return new DocState(configId, recordKey, documentId, contentHash, lastLogId, deleted, null, null);
    }

    public DocState withLastLogId(long logId) {
        return new DocState(configId, recordKey, documentId, contentHash, Math.max(lastLogId, logId), deleted,
                pendingDocumentId, pendingContentHash);
    }

    public DocState tombstone(long logId) {
        return new DocState(configId, recordKey, null, null, logId, true, null, null);
    }

    /** The pending document becomes the live one. */
    public DocState promoted() {
        return new DocState(configId, recordKey, pendingDocumentId, pendingContentHash, lastLogId, false, null, null);
    }
}
