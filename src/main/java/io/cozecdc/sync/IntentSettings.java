package io.cozecdc.sync;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Create intents and their resolution ({@code cdc.intents.*}). */
@ConfigMapping(prefix = "cdc.intents")
public interface IntentSettings {

    /**
     * Record a create intent for every document before its create call is sent, so a call whose
     * answer is lost (or a crash before the commit) is settled within seconds. With {@code false}
     * documents are named when the batch is planned and such a document is left to reconciliation
     * ({@code cdc.reconcile.*}, minutes); for measuring what intents cost. Default true.
     */
    @WithDefault("true")
    boolean enabled();

    /**
     * How long an open intent stays with the replica that sent its call without being renewed (the
     * replica renews it every {@code cdc.leases.renew-interval} while the call and its commit run).
     * The intents of a replica that died are resolved by any replica this long after its last
     * renewal. Database clock. Default 15 s.
     */
    @WithDefault("15s")
    Duration lease();

    /** How often each replica looks for open intents whose lease has ended. Default 1 s. */
    @WithDefault("1s")
    Duration resolveInterval();

    /**
     * After a create call got no usable answer (timeout, broken connection, gateway error), how long
     * to wait before looking its documents up in the dataset, so a create Coze is still registering
     * shows up in the listing. Default 2 s.
     */
    @WithDefault("2s")
    Duration settle();

    /**
     * The listing is read from its newest end and stops at the first page whose newest document of
     * ours was sent this long before the oldest intent being resolved (Coze may register calls sent
     * close together out of order). Default 2 min.
     */
    @WithDefault("2m")
    Duration scanMargin();

    /** Open intents one resolver round takes at most. Default 200. */
    @WithDefault("200")
    int batchSize();
}
