package io.cozecdc.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import io.cozecdc.testing.StartGate;
import io.cozecdc.testing.TestDb;
import io.cozecdc.testing.process.DatabaseServer;

/**
 * Issue 19, item 4: on a server with explicit_defaults_for_timestamp=OFF and MySQL 8's default sql_mode,
 * V2 fails with 1067; the check stops Flyway before any migration with the fix instead, and once the
 * setting is ON the migrations run (and later starts pass whatever the setting, V2 and V5 being applied).
 */
@Execution(ExecutionMode.CONCURRENT) // no application, nothing shared: beside the other tests (see surefire in the pom)
@ExtendWith(StartGate.class) // once the in-process tests' application has started
class TimestampDefaultsCheckTest {

    private static final String MYSQL8_SQL_MODE = "ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,"
            + "ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION";

    private static DatabaseServer server;
    private static TestDb root;

    @BeforeAll
    static void startServer() {
        server = DatabaseServer.builder("explicit-defaults-off")
                .serverArgs("--explicit-defaults-for-timestamp=OFF", "--sql-mode=" + MYSQL8_SQL_MODE)
                .start();
        root = server.testDb();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theCheckStopsMigrationWithTheFixInsteadOfError1067() {
        // without the check: V2 fails half-way with 1067 (this is what the server set-up reproduces)
        assertThatThrownBy(() -> flyway(false).migrate()).hasStackTraceContaining("1067");
        root.execute("DROP DATABASE `" + server.database() + "`", "CREATE DATABASE `" + server.database() + "`");

        assertThatThrownBy(() -> flyway(true).migrate()).isInstanceOf(FlywayException.class)
                .hasMessageContaining("explicit_defaults_for_timestamp=OFF")
                .hasMessageContaining("explicit_defaults_for_timestamp = ON")
                .hasMessageContaining("参数设置");
        assertThat(root.count("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? "
                + "AND TABLE_NAME = 'data_change_logs'", server.database())).isZero();
        assertThat(new TimestampDefaultsCheck(true).message()).contains("设为 ON", "腾讯云 CDB");

        root.execute("SET GLOBAL explicit_defaults_for_timestamp = ON");
        try {
            flyway(true).migrate();
        } finally {
            root.execute("SET GLOBAL explicit_defaults_for_timestamp = OFF");
        }
        assertThat(root.count("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? "
                + "AND TABLE_NAME = 'coze_documents'", server.database())).isOne();
        // applied: a later start with the setting OFF again is not held up
        flyway(true).migrate();
    }

    private static Flyway flyway(boolean withCheck) {
        var config = Flyway.configure().dataSource(server.jdbcUrl(), server.user(), server.password())
                .locations("classpath:db/migration").table("cdc_schema_history")
                .baselineOnMigrate(true).baselineVersion("0");
        if (withCheck) {
            config.callbacks(new TimestampDefaultsCheck(false));
        }
        return config.load();
    }
}
