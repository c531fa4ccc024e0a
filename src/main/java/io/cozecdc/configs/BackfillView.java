package io.cozecdc.configs;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.cozecdc.backfill.BackfillJob;

/** Progress of a configuration's backfill (resync). */
@Schema(name = "Backfill")
public record BackfillView(
        @Schema(description = "RUNNING, DONE, CANCELLED or FAILED") String state,
        @Schema(description = "Rows copied into the change log so far") long rowsDone,
        @Schema(description = "Rows in the table when the backfill started") long rowsTotal,
        Instant startedAt, Instant finishedAt,
        @Schema(description = "Why it failed") String error) {

    static BackfillView of(BackfillJob job) {
        return job == null ? null : new BackfillView(job.state().name(), job.rowsDone(), job.rowsTotal(), job.startedAt(),
                job.finishedAt(), job.error());
    }
}
