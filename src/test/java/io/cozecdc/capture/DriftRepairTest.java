package io.cozecdc.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;

import io.cozecdc.common.JobControl;
import io.cozecdc.testing.TestDb;

/** While the service runs, a dropped column stops breaking the table's writes within a drift check. */
@QuarkusTest
class DriftRepairTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    AgroalDataSource dataSource;
    @Inject
    TriggerService triggers;
    @Inject
    JobControl control;

    TestDb db;

    @BeforeEach
    void setUp() {
        db = new TestDb(dataSource);
        cleanUp();
        db.execute("CREATE TABLE t_drift (id INT PRIMARY KEY, keep_me VARCHAR(20), drop_me VARCHAR(20))");
        triggers.install("t_drift").await().atMost(WAIT);
    }

    @AfterEach
    void tearDown() {
        control.pauseAndWait(WAIT);
        cleanUp();
    }

    private void cleanUp() {
        triggers.remove("t_drift").await().atMost(WAIT);
        db.execute("DROP TABLE IF EXISTS t_drift", "DELETE FROM data_change_logs");
    }

    @Test
    void aDroppedColumnIsPickedUpAndWritesWorkAgain() {
        db.execute("ALTER TABLE t_drift DROP COLUMN drop_me");
        control.resume();

        await().atMost(WAIT).ignoreExceptions()
                .until(() -> db.update("INSERT INTO t_drift (id, keep_me) VALUES (1, 'after')") == 1);

        var change = db.changes("t_drift").get(0);
        assertThat(TestDb.json(change.get("change_data")).has("drop_me")).isFalse();
        assertThat(TestDb.json(change.get("change_data")).get("keep_me").asText()).isEqualTo("after");
        // the install records the new column list just after it unlocks the table: wait for that too
        await().atMost(WAIT).until(() -> triggers.status("t_drift").await().atMost(WAIT).state() == TriggerState.INSTALLED);
    }

    @Test
    void nothingIsRepairedWhileTheJobsArePaused() {
        db.execute("ALTER TABLE t_drift DROP COLUMN drop_me");
        assertThat(triggers.status("t_drift").await().atMost(WAIT).state()).isEqualTo(TriggerState.DRIFTED);
        try {
            db.update("INSERT INTO t_drift (id, keep_me) VALUES (1, 'before')");
            throw new AssertionError("the stale trigger should have refused the write");
        } catch (RuntimeException e) {
            assertThat(e).hasMessageContaining("drop_me");
        }
    }
}
