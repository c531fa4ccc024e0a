package io.cozecdc.sync;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Renewal of the leases on work in flight ({@code cdc.leases.*}). */
@ConfigMapping(prefix = "cdc.leases")
public interface LeaseSettings {

    /**
     * How often a replica renews the leases of the work it has in flight: the change-log rows of
     * its batches and the failures of its retry rounds ({@code cdc.poll.lease}), its open create intents ({@code cdc.intents.lease}) and
     * the documents whose progress it is reading. Must be well below the shortest of those leases.
     * Default 5 s.
     */
    @WithDefault("5s")
    Duration renewInterval();

    /**
     * Work whose leases have been renewed for this long is given up on: its leases are no longer
     * renewed, so another replica may take it once they expire (a hung batch cannot hold its rows for
     * ever). Applies to batches, retry rounds, create intents and documents being checked. Default 30 min.
     */
    @WithDefault("30m")
    Duration maxHold();
}
