package io.cozecdc.failures;

import java.time.Instant;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A row of sync_failures: the newest failed change of one record of one config.
 *
 * @param payload      the row as captured (change_data), so a replay needs nothing else
 * @param errorCode    Coze's code, the HTTP status, or a negative service code (see {@link FailureCodes})
 * @param logid        Coze's request id, for support
 */
public record FailureRecord(long id, long configId, long logId, String tableName, String recordKey, String operation,
        ObjectNode payload, Integer errorCode, String errorMessage, String logid, int attempts, Instant nextAttemptAt,
        FailureStatus status, Instant capturedAt, Instant createdAt, Instant updatedAt) {
}
