package io.cozecdc.sync.documents;

import java.time.Instant;

/**
 * A row of coze_documents: a document the service created and has not yet seen deleted.
 *
 * @param logId       the change whose content it carries
 * @param capturedAt  when that change was captured (for the capture → ready lag)
 * @param nextCheckAt when the tracker or the janitor looks at it next
 */
public record LedgerDocument(String documentId, long configId, long datasetId, String recordKey, long logId,
        String contentHash, LedgerState state, String stateReason, Instant capturedAt, Instant createdAt,
        Instant nextCheckAt, int deleteAttempts) {
}
