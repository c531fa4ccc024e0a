package io.cozecdc.sync;

import java.time.Clock;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * When the poller last finished a round, whatever its outcome: a drained batch, nothing to do, a
 * round held back because Coze looks down, or a poll that failed fast because the database is
 * away. Only a round that never ends (a stuck poller) lets it grow old; liveness watches it.
 */
@ApplicationScoped
public class PollerHeartbeat {

    private final Clock clock;
    private final Instant since;
    private volatile Instant last;

    public PollerHeartbeat(Clock clock) {
        this.clock = clock;
        this.since = clock.instant();
    }

    /** A poll round ended. */
    public void beat() {
        last = clock.instant();
    }

    /** The end of the last round, or null before the first one ended. */
    public Instant last() {
        return last;
    }

    /** The last round's end, or the service's start when no round has ended yet. */
    public Instant lastOrStart() {
        Instant at = last;
        return at == null ? since : at;
    }
}
