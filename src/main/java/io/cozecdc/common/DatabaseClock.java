package io.cozecdc.common;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The database's clock ({@code NOW(3)}): the one clock all replicas share. Times that replicas compare
 * with each other (claims, leases, grace periods) come from here, never from the JVM.
 */
@ApplicationScoped
public class DatabaseClock {

    static final String NOW = "SELECT NOW(3) AS now";

    private final Pool pool;

    public DatabaseClock(Pool pool) {
        this.pool = pool;
    }

    public Uni<Instant> now() {
        return pool.query(NOW).execute().map(rows -> Timestamps.fromDb(rows.iterator().next().getLocalDateTime("now")));
    }
}
