package io.cozecdc.ops;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

import io.cozecdc.capture.CaptureTableRepository;
import io.cozecdc.capture.CapturedTable;
import io.cozecdc.changelog.PendingStats;
import io.cozecdc.changelog.PendingStatsService;
import io.cozecdc.configs.SyncConfigRepository;
import io.cozecdc.failures.FailureRepository;
import io.cozecdc.fanout.FanoutRepository;
import io.cozecdc.sync.documents.LedgerRepository;
import io.cozecdc.sync.documents.LedgerState;

/** Reads the figures behind the state gauges: five grouped, index-served queries. */
@ApplicationScoped
public class StateReader {

    private final PendingStatsService pending;
    private final CaptureTableRepository captured;
    private final SyncConfigRepository configs;
    private final FailureRepository failures;
    private final LedgerRepository ledger;
    private final Clock clock;
    private final FanoutRepository fanouts;

    public StateReader(PendingStatsService pending, CaptureTableRepository captured, SyncConfigRepository configs,
            FailureRepository failures, LedgerRepository ledger, Clock clock, FanoutRepository fanouts) {
        this.fanouts = fanouts;
        this.pending = pending;
        this.captured = captured;
        this.configs = configs;
        this.failures = failures;
        this.ledger = ledger;
        this.clock = clock;
    }

    public Uni<StateSnapshot> read() {
        return Uni.combine().all()
                .unis(pending.current(), captured.findAll(), configs.findAll(), failures.counts(),
                        ledger.countInState(LedgerState.PROCESSING), fanouts.progress())
                .asTuple()
                .map(t -> new StateSnapshot(perTable(t.getItem1(), t.getItem2()), t.getItem3(), t.getItem4(), t.getItem5(),
                        clock.instant(), t.getItem6()));
    }

    /** Every captured table, with zero when nothing is pending, plus any other table with pending rows. */
    static Map<String, PendingStats.TablePending> perTable(PendingStats stats, List<CapturedTable> tables) {
        Map<String, PendingStats.TablePending> result = new TreeMap<>();
        tables.forEach(t -> result.put(t.table(), new PendingStats.TablePending(t.table(), 0, null, java.time.Duration.ZERO)));
        stats.tables().forEach(t -> result.put(t.table(), t));
        return new LinkedHashMap<>(result);
    }
}
