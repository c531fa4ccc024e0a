package io.cozecdc.ops;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.cozecdc.changelog.PendingStats;
import io.cozecdc.configs.SyncConfig;
import io.cozecdc.failures.FailureStatus;
import io.cozecdc.fanout.FanoutRepository;

/**
 * The shared state the gauges show, as read from the database at one moment.
 *
 * @param pending     pending changes per captured table (tables with nothing pending hold a zero row)
 * @param configs     every sync configuration, enabled or not
 * @param failures    open failures per config id and status
 * @param processing  documents Coze is still processing, per config id
 * @param readAt      when it was read; null for the empty snapshot before the first read
 * @param fanouts     open fan-outs per config id (configs without one are absent)
 */
public record StateSnapshot(Map<String, PendingStats.TablePending> pending, List<SyncConfig> configs,
        Map<Long, Map<FailureStatus, Long>> failures, Map<Long, Long> processing, Instant readAt,
        Map<Long, FanoutRepository.Progress> fanouts) {

    static final StateSnapshot EMPTY = new StateSnapshot(Map.of(), List.of(), Map.of(), Map.of(), null);

    /** A snapshot without fan-outs. */
    public StateSnapshot(Map<String, PendingStats.TablePending> pending, List<SyncConfig> configs,
            Map<Long, Map<FailureStatus, Long>> failures, Map<Long, Long> processing, Instant readAt) {
        this(pending, configs, failures, processing, readAt, Map.of());
    }

    /** Pending changes over all tables. */
    public long pendingTotal() {
        return pending.values().stream().mapToLong(PendingStats.TablePending::count).sum();
    }

    long failures(long configId, FailureStatus status) {
        return failures.getOrDefault(configId, Map.of()).getOrDefault(status, 0L);
    }
}
