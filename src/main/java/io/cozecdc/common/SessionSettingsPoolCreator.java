package io.cozecdc.common;

import jakarta.inject.Singleton;

import io.quarkus.logging.Log;
import io.quarkus.reactive.mysql.client.MySQLPoolCreator;
import io.vertx.core.Handler;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;

/**
 * Creates the reactive pool so that every connection runs in UTC and at READ COMMITTED.
 *
 * <p>UTC: TIMESTAMP columns are converted to and from the session time zone, and inventory servers
 * often run at +08:00. With every session of ours in UTC, leases, backoff times and lag figures
 * mean the same thing on every replica whatever the server is set to.
 *
 * <p>READ COMMITTED: the claim and the version guard lock only the rows they touch; the default
 * REPEATABLE READ also takes gap locks, which turn concurrent replicas' inserts into deadlocks.
 */
@Singleton
public class SessionSettingsPoolCreator implements MySQLPoolCreator {

    static final String TIME_ZONE = "SET time_zone = '+00:00'";
    static final String ISOLATION = "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED";

    @Override
    public Pool create(Input input) {
        return MySQLBuilder.pool()
                .with(input.poolOptions())
                .connectingTo(input.mySQLConnectOptionsList().stream()
                        .map(o -> (io.vertx.sqlclient.SqlConnectOptions) o).toList())
                .using(input.vertx())
                .withConnectHandler(applySessionSettings())
                .build();
    }

    private static Handler<SqlConnection> applySessionSettings() {
        return conn -> conn.query(TIME_ZONE).execute()
                .compose(ignored -> conn.query(ISOLATION).execute())
                .onComplete(result -> {
            if (result.failed()) {
                Log.errorf("Could not apply session settings to a new database connection: %s",
                        result.cause().getMessage());
            }
            // handing the connection back to the pool is the handler's job
            conn.close();
        });
    }
}
