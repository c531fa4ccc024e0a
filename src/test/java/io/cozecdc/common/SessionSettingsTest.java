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
}
