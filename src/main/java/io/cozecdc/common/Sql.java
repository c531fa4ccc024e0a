package io.cozecdc.common;

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

    /** Runs a transaction, again (up to three times in all) when the database reports a deadlock. */
    public static <T> Uni<T> transaction(Pool pool, java.util.function.Function<SqlConnection, Uni<T>> work) {
        return pool.withTransaction(work)
                .onFailure(Sql::isTransient).retry().withBackOff(java.time.Duration.ofMillis(20), java.time.Duration.ofMillis(200))
                .atMost(2);
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
