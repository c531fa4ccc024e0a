package io.cozecdc.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

import org.mariadb.jdbc.MariaDbDataSource;

import io.cozecdc.testing.TestDb;
import io.cozecdc.testing.process.DatabaseServer;

/**
 * The database a run measures against: the embedded MariaDB (a {@link DatabaseServer} of the run's own,
 * the default), or the server named by {@code DB_HOST} (with {@code DB_PORT}, {@code DB_NAME},
 * {@code DB_USER}, {@code DB_PASSWORD}), which must be a scratch database: the harness empties the
 * sample and CDC tables in it.
 */
final class BenchDatabase implements AutoCloseable {

    private final DatabaseServer embedded;
    private final Map<String, String> env;
    private final String jdbcUrl;
    private final String user;
    private final String password;

    private BenchDatabase(DatabaseServer embedded, Map<String, String> env, String jdbcUrl, String user, String password) {
        this.embedded = embedded;
        this.env = env;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
    }

    static BenchDatabase open(String bufferPool) {
        String host = System.getenv("DB_HOST");
        if (host == null || host.isBlank()) {
            DatabaseServer db = DatabaseServer.builder("bench").bufferPool(bufferPool).start();
            return new BenchDatabase(db, db.env(), db.jdbcUrl(), "root", "");
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("DB_HOST", host);
        env.put("DB_PORT", getenv("DB_PORT", "3306"));
        env.put("DB_NAME", getenv("DB_NAME", "inventory"));
        env.put("DB_USER", getenv("DB_USER", "root"));
        env.put("DB_PASSWORD", getenv("DB_PASSWORD", ""));
        String url = "jdbc:mariadb://" + host + ":" + env.get("DB_PORT") + "/" + env.get("DB_NAME");
        return new BenchDatabase(null, env, url, env.get("DB_USER"), env.get("DB_PASSWORD"));
    }

    /** DB_HOST, DB_PORT, DB_NAME, DB_USER, DB_PASSWORD for the service. */
    Map<String, String> env() {
        return env;
    }

    boolean isEmbedded() {
        return embedded != null;
    }

    /** A new connection (autocommit on) for a writer thread. */
    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl + "?connectTimeout=5000&socketTimeout=600000", user, password);
    }

    DataSource dataSource() {
        try {
            MariaDbDataSource ds = new MariaDbDataSource(jdbcUrl + "?connectTimeout=5000&socketTimeout=600000");
            ds.setUser(user);
            ds.setPassword(password);
            return ds;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    TestDb sql() {
        return new TestDb(dataSource());
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }

    private static String getenv(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
