package io.cozecdc.ops;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.cozecdc.changelog.PendingStats;
import io.cozecdc.configs.SyncConfig;
import io.cozecdc.failures.FailureStatus;

/**
 * The shared state the gauges show, as read from the database at one moment.
 *
 * @param pending     pending changes per captured table (tables with nothing pending hold a zero row)
 * @param configs     every sync configuration, enabled or not
 * @param failures    open failures per config id and status
 * @param processing  documents Coze is still processing, per config id
 * @param readAt      when it was read; null for the empty snapshot before the first read
 */
public record StateSnapshot(Map<String, PendingStats.TablePending> pending, List<SyncConfig> configs,
        Map<Long, Map<FailureStatus, Long>> failures, Map<Long, Long> processing, Instant readAt) {

    static final StateSnapshot EMPTY = new StateSnapshot(Map.of(), List.of(), Map.of(), Map.of(), null);

    /** Pending changes over all tables. */
    public long pendingTotal() {
        return pending.values().stream().mapToLong(PendingStats.TablePending::count).sum();
    }

    long failures(long configId, FailureStatus status) {
        return failures.getOrDefault(configId, Map.of()).getOrDefault(status, 0L);
    }
}
