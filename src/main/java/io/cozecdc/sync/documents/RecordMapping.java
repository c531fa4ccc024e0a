package io.cozecdc.sync.documents;

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
public record RecordMapping(long configId, String recordKey, String documentId, String contentHash, long lastLogId,
        boolean deleted, String pendingDocumentId, String pendingContentHash) {

    /** A record the service never synced. */
    public static RecordMapping absent(long configId, String recordKey) {
        return new RecordMapping(configId, recordKey, null, null, 0, false, null, null);
    }

    public RecordMapping withPending(String docId, String hash, long logId) {
        return new RecordMapping(configId, recordKey, documentId, contentHash, logId, false, docId, hash);
    }

    public RecordMapping withoutPending() {
        return new RecordMapping(configId, recordKey, documentId, contentHash, lastLogId, deleted, null, null);
    }

    public RecordMapping withLastLogId(long logId) {
        return new RecordMapping(configId, recordKey, documentId, contentHash, Math.max(lastLogId, logId), deleted,
                pendingDocumentId, pendingContentHash);
    }

    public RecordMapping tombstone(long logId) {
        return new RecordMapping(configId, recordKey, null, null, logId, true, null, null);
    }

    /** The pending document becomes the live one. */
    public RecordMapping promoted() {
        return new RecordMapping(configId, recordKey, pendingDocumentId, pendingContentHash, lastLogId, false, null, null);
    }
}
