package io.cozecdc.common;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/** Small helpers shared by the repositories. */
public final class Sql {

    /** MySQL/MariaDB: deadlock found, lock wait timeout. Worth running the transaction again. */
    static final Set<Integer> TRANSIENT_ERRORS = Set.of(1213, 1205);

    private Sql() {
    }

    /** "(?, ?, …)" for an IN list of n values. */
    public static String inList(int n) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "?" : ", ?");
        }
        return sb.append(')').toString();
    }

    /** "(?, ?), (?, ?), …": n rows of width values each, for multi-row INSERTs. */
    public static String rows(int n, int width) {
        String one = inList(width);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ", ").append(one);
        }
        return sb.toString();
    }

    /**
     * How long one statement, or one short transaction, of the service's own bookkeeping may go without
     * an answer before it is given up on: {@code cdc.jobs.statement-timeout} (60 s by default) plus
     * {@link #BOUND_MARGIN}, so the server's and the connection's own timeouts (SessionSettingsPoolCreator)
     * act first whenever they can. This bound is the backstop for what they cannot reach: the reactive pool
     * can leave a statement sent just as the server goes away without any answer for good (seen when the
     * database restarted: a failed batch's change-log release never completed, and the poller, waiting
     * for that batch, stopped). A statement timeout of 0 switches this bound off too.
     */
    public static Duration callBound() {
        // read each time (a map lookup): a cached value would outlive the application it was read from
        Duration statement = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getOptionalValue("cdc.jobs.statement-timeout", Duration.class).orElse(DEFAULT_STATEMENT_TIMEOUT);
        return statement.isZero() || statement.isNegative() ? Duration.ZERO : statement.plus(BOUND_MARGIN);
    }

    /** Added to the statement timeout for {@link #callBound()}. */
    public static final Duration BOUND_MARGIN = Duration.ofSeconds(30);
    static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(60);

    /** Runs a transaction, again (up to three times in all) when the database reports a deadlock; each try bounded by {@link #callBound()}. */
    public static <T> Uni<T> transaction(Pool pool, java.util.function.Function<SqlConnection, Uni<T>> work) {
        return retryingTransient(bounded(pool.withTransaction(work), "a transaction"));
    }

    /**
     * The call run again (up to three times in all) when the database reports a deadlock or a lock wait
     * timeout: for a transaction, or a single statement that may safely run twice (it sets, rather than
     * adds). The call must be lazy (run when subscribed), as the reactive client's are.
     */
    public static <T> Uni<T> retryingTransient(Uni<T> call) {
        return call.onFailure(Sql::isTransient).retry().withBackOff(Duration.ofMillis(20), Duration.ofMillis(200)).atMost(2);
    }

    /** The call, failed with {@link DatabaseCallTimeout} when it has not answered within {@link #callBound()}. */
    public static <T> Uni<T> bounded(Uni<T> call, String what) {
        Duration bound = callBound();
        return bound.isZero() ? call : bounded(call, what, bound);
    }

    /** The call, failed with {@link DatabaseCallTimeout} when it has not answered within {@code bound}. */
    public static <T> Uni<T> bounded(Uni<T> call, String what, Duration bound) {
        return call.ifNoItem().after(bound).failWith(() -> new DatabaseCallTimeout(what, bound));
    }

    /** A database call that did not answer within its bound. */
    public static final class DatabaseCallTimeout extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DatabaseCallTimeout(String what, Duration bound) {
            super("the database did not answer " + what + " within " + bound.toSeconds() + " s; given up on");
        }
    }

    public static boolean isTransient(Throwable e) {
        return e instanceof io.vertx.mysqlclient.MySQLException m && TRANSIENT_ERRORS.contains(m.getErrorCode());
    }

    /** Splits a list into pieces of at most {@code size}. */
    public static <T> List<List<T>> chunks(List<T> items, int size) {
        List<List<T>> result = new java.util.ArrayList<>();
        for (int i = 0; i < items.size(); i += size) {
            result.add(items.subList(i, Math.min(items.size(), i + size)));
        }
        return result;
    }
}
