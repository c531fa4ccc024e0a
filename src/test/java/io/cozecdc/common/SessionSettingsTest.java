package io.cozecdc.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;

/**
 * Every connection of the service's pool carries the session settings of {@link SessionSettingsPoolCreator}:
 * UTC, READ COMMITTED, and the server half of {@code cdc.jobs.statement-timeout} as
 * {@code max_statement_time}. (That a statement waiting longer than the bound fails instead of hanging is
 * proven against the packaged service, with a short bound, by {@code process.JobsLivenessIT}.)
 */
@QuarkusTest
class SessionSettingsTest {

    @Inject
    Pool pool;
    @Inject
    JobSettings jobs;
    @Inject
    io.vertx.mutiny.core.Vertx vertx;

    @Test
    void everyConnectionIsInUtcReadCommittedAndBoundedByTheStatementTimeout() {
        // several connections at once, so the pool has to open more than one
        List<Uni<Row>> reads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            reads.add(pool.withConnection(c -> c.query("SELECT @@SESSION.max_statement_time, @@SESSION.time_zone, "
                    + "@@SESSION.tx_isolation, CONNECTION_ID(), SLEEP(0.2)").execute()).map(rows -> rows.iterator().next()));
        }
        List<Row> rows = Uni.join().all(reads).andFailFast().await().atMost(Duration.ofSeconds(30));

        assertThat(rows.stream().map(r -> r.getValue(3)).distinct()).as("connections read").hasSizeGreaterThan(1);
        for (Row row : rows) {
            assertThat(Double.parseDouble(String.valueOf(row.getValue(0)))).as("max_statement_time (s)")
                    .isEqualTo(jobs.statementTimeout().toMillis() / 1000.0);
            assertThat(row.getString(1)).isEqualTo("+00:00");
            assertThat(row.getString(2)).isEqualTo("READ-COMMITTED");
        }
    }

    /**
     * The client half of the bound counts from the connection's last read, and the pool may hand out a
     * connection that has been idle for as long as it keeps idle ones (half the bound, plus its cleaner's
     * period). A statement started on such a connection still gets the whole bound. With the client's bound
     * equal to the server's, it was cut after what was left (with the 60 s default, after about 29 s: before a
     * lock wait of {@code innodb_lock_wait_timeout}, 50 s, could end with its own error).
     */
    @Test
    void aStatementOnAConnectionIdleAsLongAsThePoolAllowsGetsTheWholeBound() throws Exception {
        Duration bound = Duration.ofSeconds(3);
        io.vertx.sqlclient.PoolOptions poolOptions = SessionSettingsPoolCreator.withIdleBelow(new io.vertx.sqlclient.PoolOptions(), bound);
        long idleAllowedMillis = poolOptions.getIdleTimeoutUnit().toMillis(poolOptions.getIdleTimeout()) + poolOptions.getPoolCleanerPeriod();
        org.eclipse.microprofile.config.Config config = org.eclipse.microprofile.config.ConfigProvider.getConfig();
        io.vertx.mysqlclient.MySQLConnectOptions options = io.vertx.mysqlclient.MySQLConnectOptions
                .fromUri(config.getValue("quarkus.datasource.reactive.url", String.class))
                .setUser(config.getValue("quarkus.datasource.username", String.class))
                .setPassword(config.getOptionalValue("quarkus.datasource.password", String.class).orElse(""));
        SessionSettingsPoolCreator.withReadTimeout(options, bound, poolOptions);
        io.vertx.mutiny.mysqlclient.MySQLConnection connection = io.vertx.mutiny.mysqlclient.MySQLConnection.connect(vertx, options)
                .await().atMost(Duration.ofSeconds(10));
        try {
            Thread.sleep(idleAllowedMillis - 100); // idle, as a pooled connection may be when it is handed out
            long started = System.nanoTime();
            Row row = connection.query("SELECT SLEEP(2.5)").execute().await().atMost(Duration.ofSeconds(10)).iterator().next();
            assertThat(row.getValue(0)).as("a 2.5 s statement within the 3 s bound, %d ms after the last read",
                    idleAllowedMillis - 100).hasToString("0");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(2400));
        } finally {
            connection.closeAndAwait();
        }
    }
}
