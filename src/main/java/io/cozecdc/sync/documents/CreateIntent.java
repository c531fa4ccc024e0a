package io.cozecdc.sync.documents;

import java.time.Instant;

/**
 * An open create intent: a document the service sent (or is sending) to Coze whose outcome is not
 * recorded yet. {@code createdAt} is the database's clock when the call was sent; it is also the time
 * part of {@code documentName}.
 */
public record CreateIntent(String id, long configId, long datasetId, String table, String recordKey, long logId,
        String operation, Instant capturedAt, String contentHash, String documentName, Instant createdAt) {
}
