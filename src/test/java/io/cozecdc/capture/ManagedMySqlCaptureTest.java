package io.cozecdc.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.mysqlclient.MySQLException;
import io.vertx.sqlclient.PoolOptions;

import io.cozecdc.common.InstanceId;
import io.cozecdc.common.JobControl;
import io.cozecdc.common.JobLeaseRepository;
import io.cozecdc.common.JobRounds;
import io.cozecdc.common.JobSettings;
import io.cozecdc.common.RuntimeSettings;
import io.cozecdc.testing.StartGate;
import io.cozecdc.testing.TestDb;
import io.cozecdc.testing.process.DatabaseServer;

/**
 * Issue 19, item 1: a MariaDB set up as close to managed MySQL 8 as MariaDB allows (binary logging on,
 * ROW format, MySQL 8's default sql_mode) and a service user with exactly the grants docs/operations.md
 * lists, and no SUPER. Without log_bin_trust_function_creators the preflight names the reason and the
 * fix, the install is refused with a 409, the server's own 1419 is translated, and startup goes on; with
 * the parameter set, the same user installs the triggers and captures changes.
 *
 * <p>Plain JUnit with its own server: the Quarkus test database runs as root without binary logging.
 * The service classes are the real ones, on a reactive pool of the non-SUPER user.
 */
@Execution(ExecutionMode.CONCURRENT) // no application, nothing shared: beside the other tests (see surefire in the pom)
@ExtendWith(StartGate.class) // once the in-process tests' application has started
class ManagedMySqlCaptureTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** MySQL 8.0's default sql_mode (manual, "Server SQL Modes"). */
    private static final String MYSQL8_SQL_MODE = "ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,"
            + "ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION";

    private static DatabaseServer server;
    private static Vertx vertx;
    private static Pool pool;
    private static TestDb root;

    private DatabasePreflight preflight;
    private SchemaRepository schema;
    private TriggerService triggers;

    @BeforeAll
    static void startServer() {
        server = DatabaseServer.builder("managed-mysql-like")
                .serverArgs("--log-bin=mysql-bin", "--binlog-format=ROW", "--log-bin-trust-function-creators=0",
                        "--sql-mode=" + MYSQL8_SQL_MODE)
                .grant(PreflightTexts.PRIVILEGES + " ON `{db}`.*")
                .start();
        root = server.testDb();
        // the migrations, as the non-SUPER user, exactly as the service runs them at startup
        Flyway.configure().dataSource(server.jdbcUrl(), server.user(), server.password())
                .locations("classpath:db/migration").table("cdc_schema_history")
                .baselineOnMigrate(true).baselineVersion("0").load().migrate();
        vertx = Vertx.vertx();
        pool = pool(server.user(), server.password());
    }

    @AfterAll
    static void stopServer() {
        if (pool != null) {
            pool.closeAndAwait();
        }
        if (vertx != null) {
            vertx.closeAndAwait();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void setUp() {
        root.execute("SET GLOBAL log_bin_trust_function_creators = 0", "SET GLOBAL binlog_format = 'ROW'",
                "DROP TABLE IF EXISTS items", "CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(40))",
                "DELETE FROM capture_tables", "DELETE FROM data_change_logs");
        preflight = new DatabasePreflight(pool, false, true);
        schema = new SchemaRepository(pool);
        triggers = triggerService(pool, preflight);
    }

    @AfterEach
    void resetServer() {
        root.execute("SET GLOBAL log_bin_trust_function_creators = 0", "SET GLOBAL binlog_format = 'ROW'");
    }

    @Test
    void withoutTheParameterTheReasonAndFixAreReportedAndNothingCrashes() {
        List<PreflightProblem> problems = preflight.check().await().atMost(WAIT);
        // the user has exactly the documented grants: the one problem is binary logging without SUPER
        assertThat(problems).extracting(PreflightProblem::code).containsExactly("BINLOG_TRUST_FUNCTION_CREATORS");
        assertThat(problems.get(0).describe())
                .contains("'cdc_service'@'127.0.0.1'", "error 1419", "log_bin_trust_function_creators = ON", "参数设置", "参数模板");
        assertThat(new DatabasePreflight(pool, true, true).check().await().atMost(WAIT).get(0).describe())
                .contains("二进制日志", "log_bin_trust_function_creators 设为 ON", "阿里云 RDS", "腾讯云 CDB");

        // the install is refused up front, with a 409 that carries reason and fix
        assertThatThrownBy(() -> triggers.install("items").await().atMost(WAIT))
                .isInstanceOfSatisfying(CaptureRefusedException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.getMessage()).contains("log_bin_trust_function_creators");
                });
        assertThat(root.count("SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_TABLE = 'items'")).isZero();

        // MariaDB 10.11 itself refuses the statement with 1419, which is translated to the same problem
        Throwable raw = catchFailure(() -> schema.runDdl("items",
                new TriggerSqlGenerator().createStatements(new TableDescriber(schema).describe("items").await().atMost(WAIT)))
                .await().atMost(WAIT));
        assertThat(raw).isInstanceOfSatisfying(MySQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1419));
        assertThat(preflight.translate(raw)).isInstanceOfSatisfying(CaptureRefusedException.class,
                e -> assertThat(e.problems()).extracting(PreflightProblem::code).containsExactly("BINLOG_TRUST_FUNCTION_CREATORS"));

        // startup with cdc.capture.tables=items logs and goes on: no failure, so no restart loop
        captureStartup("items").run().await().atMost(WAIT);
        assertThat(root.count("SELECT COUNT(*) FROM capture_tables")).isZero();
    }

    @Test
    void withTheParameterSetTheSameUserInstallsAndCaptures() {
        root.execute("SET GLOBAL log_bin_trust_function_creators = 1");

        assertThat(preflight.check().await().atMost(WAIT)).isEmpty();
        captureStartup("items").run().await().atMost(WAIT);

        assertThat(triggers.status("items").await().atMost(WAIT).state()).isEqualTo(TriggerState.INSTALLED);
        root.update("INSERT INTO items VALUES (1, 'bolt')");
        var changes = root.changes("items");
        assertThat(changes).hasSize(1);
        assertThat(TestDb.json(changes.get(0).get("change_data")).get("name").asText()).isEqualTo("bolt");
    }

    @Test
    void statementBinlogFormatIsReportedAndTheWriteErrorTranslated() {
        root.execute("SET GLOBAL log_bin_trust_function_creators = 1", "SET GLOBAL binlog_format = 'STATEMENT'");

        assertThat(preflight.check().await().atMost(WAIT)).extracting(PreflightProblem::code)
                .containsExactly("BINLOG_FORMAT_STATEMENT");
        // a new session at READ COMMITTED, as every connection of the service, cannot write
        Pool fresh = pool(server.user(), server.password());
        try {
            Throwable refused = catchFailure(() -> fresh.withConnection(c -> c.query(
                    "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED").execute()
                    .chain(() -> c.query("INSERT INTO items VALUES (2, 'nut')").execute())).await().atMost(WAIT));
            assertThat(refused).isInstanceOfSatisfying(MySQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1665));
            assertThat(preflight.translate(refused)).isInstanceOfSatisfying(CaptureRefusedException.class,
                    e -> assertThat(e.getMessage()).contains("binlog_format = ROW"));
        } finally {
            fresh.closeAndAwait();
        }
    }

    @Test
    void missingPrivilegesAreNamedWithTheGrantThatFixesThem() {
        root.execute("SET GLOBAL log_bin_trust_function_creators = 1",
                "CREATE USER IF NOT EXISTS 'cdc_small'@'127.0.0.1' IDENTIFIED BY 'small-pw'",
                "GRANT SELECT, INSERT, UPDATE, DELETE ON `" + server.database() + "`.* TO 'cdc_small'@'127.0.0.1'");
        Pool small = pool("cdc_small", "small-pw");
        try {
            DatabasePreflight smallPreflight = new DatabasePreflight(small, false, true);
            List<PreflightProblem> problems = smallPreflight.check().await().atMost(WAIT);
            assertThat(problems).extracting(PreflightProblem::code).containsExactly("MISSING_PRIVILEGES");
            assertThat(problems.get(0).describe()).contains("TRIGGER", "LOCK TABLES",
                    "GRANT " + PreflightTexts.PRIVILEGES + " ON `inventory`.* TO 'cdc_small'@'127.0.0.1';");
            assertThatThrownBy(() -> triggerService(small, smallPreflight).install("items").await().atMost(WAIT))
                    .isInstanceOf(CaptureRefusedException.class);

            // the server's own refusal (1142, TRIGGER command denied) is translated too
            Throwable raw = catchFailure(() -> new SchemaRepository(small).runDdl(null,
                    List.of("CREATE TRIGGER t_items_x AFTER INSERT ON items FOR EACH ROW SET @x = 1")).await().atMost(WAIT));
            assertThat(raw).isInstanceOfSatisfying(MySQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1142));
            assertThat(smallPreflight.translate(raw)).isInstanceOf(CaptureRefusedException.class);
        } finally {
            small.closeAndAwait();
        }
    }

    @Test
    void grantsThroughASchemaPatternCount() {
        root.execute("SET GLOBAL log_bin_trust_function_creators = 1",
                "CREATE USER IF NOT EXISTS 'cdc_pattern'@'127.0.0.1' IDENTIFIED BY 'pattern-pw'",
                "GRANT " + PreflightTexts.PRIVILEGES + " ON `inv%`.* TO 'cdc_pattern'@'127.0.0.1'");
        Pool patterned = pool("cdc_pattern", "pattern-pw");
        try {
            assertThat(new DatabasePreflight(patterned, false, true).check().await().atMost(WAIT)).isEmpty();
        } finally {
            patterned.closeAndAwait();
        }
    }

    @Test
    void theTriggerSwapWaitsOnlyAFewSecondsBehindALongTransactionAndWorksAfterIt() throws Exception {
        root.execute("SET GLOBAL log_bin_trust_function_creators = 1");
        try (java.sql.Connection longTransaction = server.dataSource().getConnection()) {
            longTransaction.setAutoCommit(false);
            try (var st = longTransaction.createStatement()) {
                st.executeQuery("SELECT * FROM items").close(); // holds the table's metadata lock until commit
            }
            long start = System.nanoTime();
            // the server's default wait is a day (MariaDB) or a year (MySQL); the swap gives up after 5 s
            assertThatThrownBy(() -> triggers.install("items").await().atMost(WAIT))
                    .isInstanceOfSatisfying(TableBusyException.class, e -> assertThat(e.status()).isEqualTo(409));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(15));
            assertThat(root.count("SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_TABLE = 'items'")).isZero();
            longTransaction.commit();
        }
        triggers.install("items").await().atMost(WAIT);
        assertThat(triggers.status("items").await().atMost(WAIT).state()).isEqualTo(TriggerState.INSTALLED);
        // the pooled connection that ran the swap is back at the server's default wait
        assertThat(pool.query("SELECT @@session.lock_wait_timeout = @@global.lock_wait_timeout").execute()
                .await().atMost(WAIT).iterator().next().getValue(0).toString()).isEqualTo("1");
    }

    private CaptureStartup captureStartup(String tables) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(CaptureSettings.class).withMapping(RuntimeSettings.class).withMapping(JobSettings.class)
                .withConverter(Duration.class, 100, new io.quarkus.runtime.configuration.DurationConverter())
                .withDefaultValue("cdc.capture.tables", tables).build();
        CaptureSettings capture = config.getConfigMapping(CaptureSettings.class);
        RuntimeSettings settings = config.getConfigMapping(RuntimeSettings.class);
        DriftRepair drift = new DriftRepair(triggers, capture, new JobLeaseRepository(pool), new JobControl(settings),
                new InstanceId(settings), Clock.systemUTC(), new JobRounds(Clock.systemUTC()), config.getConfigMapping(JobSettings.class));
        return new CaptureStartup(triggers, drift, capture, preflight, new io.cozecdc.configs.SyncConfigRepository(pool));
    }

    private static TriggerService triggerService(Pool pool, DatabasePreflight preflight) {
        SchemaRepository schema = new SchemaRepository(pool);
        return new TriggerService(new TableDescriber(schema), new TriggerSqlGenerator(), schema,
                new CaptureTableRepository(pool), preflight, Clock.systemUTC());
    }

    private static Pool pool(String user, String password) {
        MySQLConnectOptions options = new MySQLConnectOptions().setHost(server.host()).setPort(server.port())
                .setDatabase(server.database()).setUser(user).setPassword(password);
        return Pool.newInstance(io.vertx.mysqlclient.MySQLBuilder.pool().connectingTo(options)
                .with(new PoolOptions().setMaxSize(2)).using(vertx.getDelegate()).build());
    }

    private static Throwable catchFailure(Runnable action) {
        try {
            action.run();
        } catch (Throwable e) {
            return e;
        }
        throw new AssertionError("expected a failure");
    }
}
