package io.cozecdc.failures;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;

/** A failed change as the API shows it. */
@Schema(name = "Failure")
public record FailureView(
        @Schema(example = "17") long id,
        @Schema(example = "1") long configId,
        @Schema(description = "The configuration's name, if it still exists", example = "products-public") String configName,
        @Schema(description = "data_change_logs.id of the change", example = "50211") long logId,
        @Schema(example = "products") String tableName,
        @Schema(description = "The row's key", example = "0f8c2a4e-6b1d-4c55-9a3e-2f7d9b1c6e10") String recordKey,
        @Schema(description = "INSERT, UPDATE, DELETE or SNAPSHOT", enumeration = {"INSERT", "UPDATE", "DELETE", "SNAPSHOT"},
                example = "UPDATE") String operation,
        @Schema(description = "Coze's code, the HTTP status, or a negative service code: -1 no answer, -2 render failed, "
                + "-3 too large, -4 Coze failed to process, -5 processing timed out, -6 configuration in ERROR, -7 conflict", example = "-2")
        Integer errorCode,
        @Schema(example = "template of config 'products-public' failed: Property \"colour\" not found")
        String errorMessage,
        @Schema(description = "Coze's request id, for a support ticket", example = "20261202081530120A1B2C3D4E5F6A7B8C")
        String logid,
        @Schema(example = "4") int attempts,
        @Schema(description = "When it is tried next; absent while a re-upload is being processed, or when DEAD", example = "2026-12-02T08:25:30.120Z") Instant nextAttemptAt,
        @Schema(description = "RETRYING or DEAD", enumeration = {"RETRYING", "DEAD"}, example = "DEAD") String status,
        @Schema(example = "2026-12-02T08:15:29.870Z") Instant capturedAt,
        @Schema(example = "2026-12-02T08:15:30.120Z") Instant createdAt,
        @Schema(example = "2026-12-02T08:21:44.302Z") Instant updatedAt,
        @Schema(description = "The row as captured: column name to value", type = SchemaType.OBJECT, implementation = Object.class,
                example = "{\"id\": \"0f8c2a4e-6b1d-4c55-9a3e-2f7d9b1c6e10\", \"sku\": \"WR-12\", \"name\": \"扳手 Wrench\", \"unit_price\": 10.00}")
        JsonNode payload) {

    static FailureView of(FailureRecord f, String configName) {
        return new FailureView(f.id(), f.configId(), configName, f.logId(), f.tableName(), f.recordKey(), f.operation(),
                f.errorCode(), f.errorMessage(), f.logid(), f.attempts(), f.nextAttemptAt(), f.status().name(), f.capturedAt(),
                f.createdAt(), f.updatedAt(), f.payload());
    }
}
