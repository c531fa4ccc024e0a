package io.cozecdc.common;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Singleton;

import io.quarkus.logging.Log;
import io.quarkus.reactive.mysql.client.MySQLPoolCreator;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
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
 *
 * <p>Statement timeout ({@code cdc.jobs.statement-timeout}): the server stops a statement that runs
 * longer ({@code max_statement_time} on MariaDB, every statement; where that variable is unknown, MySQL's
 * {@code max_execution_time}, which bounds SELECTs only), which also frees its locks; and the client
 * closes a connection that has received nothing for that long plus the time the pool lets a connection
 * idle (a read idle timeout, counted from the last read), so a statement on
 * a half-open connection fails instead of waiting for the kernel. The client side needs no server
 * support and bounds every statement on both servers.
 */
@Singleton
public class SessionSettingsPoolCreator implements MySQLPoolCreator {

    static final String TIME_ZONE = "SET time_zone = '+00:00'";
    static final String ISOLATION = "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED";

    private final JobSettings jobs;

    public SessionSettingsPoolCreator(JobSettings jobs) {
        this.jobs = jobs;
    }

    @Override
    public Pool create(Input input) {
        Duration timeout = jobs.statementTimeout();
        PoolOptions poolOptions = withIdleBelow(input.poolOptions(), timeout);
        return MySQLBuilder.pool()
                .with(poolOptions)
                .connectingTo(input.mySQLConnectOptionsList().stream()
                        .map(o -> (io.vertx.sqlclient.SqlConnectOptions) withReadTimeout(o, timeout, poolOptions)).toList())
                .using(input.vertx())
                .withConnectHandler(applySessionSettings(timeout))
                .build();
    }

    /**
     * The client half of the statement timeout: a connection that receives nothing for longer is closed.
     * Its timer counts from the connection's last read, and the pool may hand out a connection that has
     * been idle for as long as it keeps idle ones ({@link #withIdleBelow}, plus its cleaner's period): that
     * time is added, so a statement always gets the whole bound before the client gives up (the server's
     * bound, or a lock wait's own error, comes first).
     */
    static MySQLConnectOptions withReadTimeout(MySQLConnectOptions options, Duration timeout, PoolOptions pool) {
        if (!timeout.isZero() && !timeout.isNegative()) {
            long idleAllowed = pool.getIdleTimeoutUnit().toMillis(pool.getIdleTimeout()) + Math.max(0, pool.getPoolCleanerPeriod());
            options.setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
            options.setReadIdleTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis() + Math.max(0, idleAllowed)));
        }
        return options;
    }

    /**
     * An idle connection receives nothing either: the pool retires idle connections at half the
     * statement timeout at the latest, so the read idle timeout never closes a connection the pool is
     * about to hand out.
     */
    static PoolOptions withIdleBelow(PoolOptions options, Duration timeout) {
        if (timeout.isZero() || timeout.isNegative()) {
            return options;
        }
        long limit = Math.max(1, timeout.toMillis() / 2);
        long idle = options.getIdleTimeoutUnit().toMillis(options.getIdleTimeout());
        if (idle <= 0 || idle > limit) {
            options.setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
            options.setIdleTimeout((int) Math.min(Integer.MAX_VALUE, limit));
        }
        return options;
    }

    /** The server half of the statement timeout, for MariaDB or, failing that, for MySQL. */
    static Future<?> statementTimeout(SqlConnection conn, Duration timeout) {
        if (timeout.isZero() || timeout.isNegative()) {
            return Future.succeededFuture();
        }
        String mariaDb = "SET SESSION max_statement_time = " + timeout.toMillis() / 1000.0;
        String mySql = "SET SESSION max_execution_time = " + timeout.toMillis();
        return conn.query(mariaDb).execute().map(r -> (Object) r)
                .recover(notMariaDb -> conn.query(mySql).execute().map(r -> (Object) r));
    }

    private static Handler<SqlConnection> applySessionSettings(Duration timeout) {
        return conn -> conn.query(TIME_ZONE).execute()
                .compose(ignored -> conn.query(ISOLATION).execute())
                .compose(ignored -> statementTimeout(conn, timeout))
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
