package io.cozecdc.changelog;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Changes not yet processed, in total and per table (the original's get_pending_changes_count()).
 *
 * @param total        pending changes over all tables
 * @param oldestAt     capture time of the oldest pending change, null when nothing is pending
 * @param oldestAge    how long the oldest pending change has waited, zero when nothing is pending
 * @param tables       per-table figures, by table name
 * @param measuredAt   when the figures were read
 */
public record PendingStats(long total, Instant oldestAt, Duration oldestAge, List<TablePending> tables, Instant measuredAt) {

    /** Pending changes of one table. */
    public record TablePending(String table, long count, Instant oldestAt, Duration oldestAge) {
    }

    public static PendingStats of(List<TablePending> tables, Instant now) {
        long total = tables.stream().mapToLong(TablePending::count).sum();
        Instant oldest = tables.stream().map(TablePending::oldestAt).filter(java.util.Objects::nonNull)
                .min(Instant::compareTo).orElse(null);
        return new PendingStats(total, oldest, age(oldest, now), List.copyOf(tables), now);
    }

    static Duration age(Instant oldest, Instant now) {
        if (oldest == null || oldest.isAfter(now)) {
            return Duration.ZERO;
        }
        return Duration.between(oldest, now);
    }
}
