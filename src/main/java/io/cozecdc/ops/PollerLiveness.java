package io.cozecdc.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

import io.cozecdc.common.JobControl;
import io.cozecdc.sync.PollerHeartbeat;
import io.cozecdc.sync.SyncSettings;

/**
 * Liveness: DOWN only when the poller is stuck, that is, changes are pending and no poll round has
 * ended for {@code cdc.ops.poller-stuck-after}. A restart helps then and nowhere else, so a database
 * or Coze outage never fails this check (readiness reports those). Reads memory only.
 */
@Liveness
@ApplicationScoped
public class PollerLiveness implements HealthCheck {

    private final PollerHeartbeat heartbeat;
    private final StateMetrics state;
    private final JobControl control;
    private final SyncSettings sync;
    private final OpsSettings ops;
    private final Clock clock;

    public PollerLiveness(PollerHeartbeat heartbeat, StateMetrics state, JobControl control, SyncSettings sync,
            OpsSettings ops, Clock clock) {
        this.heartbeat = heartbeat;
        this.state = state;
        this.control = control;
        this.sync = sync;
        this.ops = ops;
        this.clock = clock;
    }

    @Override
    public HealthCheckResponse call() {
        Instant last = heartbeat.lastOrStart();
        Duration since = Duration.between(last, clock.instant());
        long pending = state.snapshot().pendingTotal();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("cdc-poller")
                .withData("lastRoundEnded", heartbeat.last() == null ? "never" : heartbeat.last().toString())
                .withData("pendingChanges", pending)
                .withData("stuckAfter", ops.pollerStuckAfter().toString());
        if (!sync.poll().enabled() || !control.isRunning()) {
            return response.up().withData("reason", "the poller is switched off or paused").build();
        }
        if (pending > 0 && since.compareTo(ops.pollerStuckAfter()) > 0) {
            return response.down().withData("reason", "changes are pending and no poll round has ended for "
                    + since.toSeconds() + " s: the poller is stuck").build();
        }
        return response.up().build();
    }
}
