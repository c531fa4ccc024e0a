package io.cozecdc.failures;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A failed change as the API shows it. */
@Schema(name = "Failure")
public record FailureView(
        long id, long configId,
        @Schema(description = "The configuration's name, if it still exists") String configName,
        @Schema(description = "data_change_logs.id of the change") long logId,
        String tableName,
        @Schema(description = "The row's key") String recordKey,
        @Schema(description = "INSERT, UPDATE, DELETE or SNAPSHOT") String operation,
        @Schema(description = "Coze's code, the HTTP status, or a negative service code: -1 no answer, -2 render failed, "
                + "-3 too large, -4 Coze failed to process, -5 processing timed out, -6 configuration in ERROR, -7 conflict")
        Integer errorCode,
        String errorMessage,
        @Schema(description = "Coze's request id, for a support ticket") String logid,
        int attempts,
        @Schema(description = "When it is tried next; absent while a re-upload is being processed, or when DEAD") Instant nextAttemptAt,
        @Schema(description = "RETRYING or DEAD") String status,
        Instant capturedAt, Instant createdAt, Instant updatedAt,
        @Schema(description = "The row as captured") JsonNode payload) {

    static FailureView of(FailureRecord f, String configName) {
        return new FailureView(f.id(), f.configId(), configName, f.logId(), f.tableName(), f.recordKey(), f.operation(),
                f.errorCode(), f.errorMessage(), f.logid(), f.attempts(), f.nextAttemptAt(), f.status().name(), f.capturedAt(),
                f.createdAt(), f.updatedAt(), f.payload());
    }
}
