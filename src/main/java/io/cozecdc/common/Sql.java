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
     * How long one statement, or one transaction, of the service's own bookkeeping may take before it is
     * given up on. A statement sent through the reactive pool just as the server goes away can be left
     * without an answer for good (seen when the database restarts: the change-log release of a failed
     * batch never completed, and the poller, waiting for that batch, stopped for good). Longer than
     * InnoDB's default lock wait (50 s), so a statement waiting for a lock gets the database's own error
     * first.
     */
    public static final Duration CALL_BOUND = Duration.ofSeconds(60);

    /** Runs a transaction, again (up to three times in all) when the database reports a deadlock; each try bounded by {@link #CALL_BOUND}. */
    public static <T> Uni<T> transaction(Pool pool, java.util.function.Function<SqlConnection, Uni<T>> work) {
        return bounded(pool.withTransaction(work), "a transaction")
                .onFailure(Sql::isTransient).retry().withBackOff(Duration.ofMillis(20), Duration.ofMillis(200))
                .atMost(2);
    }

    /** The call, failed with {@link DatabaseCallTimeout} when it has not answered within {@link #CALL_BOUND}. */
    public static <T> Uni<T> bounded(Uni<T> call, String what) {
        return bounded(call, what, CALL_BOUND);
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
