package io.cozecdc.backfill;

import java.time.Instant;

/**
 * A row of backfill_jobs.
 *
 * @param lastKey the key of the last row copied, as text; null before the first chunk
 */
public record BackfillJob(long configId, BackfillState state, long rowsTotal, long rowsDone, String lastKey, String error,
        Instant startedAt, Instant finishedAt, Instant updatedAt) {
}
