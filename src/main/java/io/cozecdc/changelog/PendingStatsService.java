package io.cozecdc.changelog;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

/** Pending statistics for the API, the metrics and the health checks. */
@ApplicationScoped
public class PendingStatsService {

    private final ChangeLogRepository repository;
    private final Clock clock;

    public PendingStatsService(ChangeLogRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    /** Reads the figures now. */
    public Uni<PendingStats> current() {
        return repository.pendingPerTable().map(rows -> {
            var now = clock.instant();
            var tables = rows.stream()
                    .map(r -> new PendingStats.TablePending(r.table(), r.count(), r.oldest(), PendingStats.age(r.oldest(), now)))
                    .toList();
            return PendingStats.of(tables, now);
        });
    }
}
