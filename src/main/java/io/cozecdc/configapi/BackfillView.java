package io.cozecdc.configapi;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.cozecdc.backfill.BackfillJob;

/** Progress of a configuration's backfill (resync). */
@Schema(name = "Backfill")
public record BackfillView(
        @Schema(description = "RUNNING, DONE, CANCELLED or FAILED", example = "RUNNING",
                enumeration = {"RUNNING", "DONE", "CANCELLED", "FAILED"}) String state,
        @Schema(description = "Rows copied into the change log so far", example = "4000") long rowsDone,
        @Schema(description = "Rows in the table when the backfill started", example = "10250") long rowsTotal,
        @Schema(example = "2026-12-02T08:15:30.120Z") Instant startedAt,
        @Schema(description = "Absent while running", example = "2026-12-02T08:19:02.004Z") Instant finishedAt,
        @Schema(description = "Why it failed", example = "Table 'products' does not exist in the database") String error) {

    static BackfillView of(BackfillJob job) {
        return job == null ? null : new BackfillView(job.state().name(), job.rowsDone(), job.rowsTotal(), job.startedAt(),
                job.finishedAt(), job.error());
    }
}
