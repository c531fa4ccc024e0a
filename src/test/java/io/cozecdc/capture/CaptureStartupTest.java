package io.cozecdc.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;

import io.cozecdc.testing.TestDb;

/** The sample tables are captured at startup, and startup repairs drift. */
@QuarkusTest
class CaptureStartupTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    AgroalDataSource dataSource;
    @Inject
    TriggerService triggers;
    @Inject
    CaptureStartup startup;

    @AfterEach
    void tearDown() {
        triggers.remove("t_startup").await().atMost(WAIT);
        new TestDb(dataSource).execute("DROP TABLE IF EXISTS t_startup");
    }

    @Test
    void theSampleTablesAreCapturedAtStartup() {
        var statuses = triggers.statuses().await().atMost(WAIT);
        assertThat(statuses).filteredOn(s -> s.state() == TriggerState.INSTALLED)
                .extracting(CaptureStatus::table).contains("products", "suppliers", "inventory_records");
    }

    @Test
    void startupReinstallsDriftedTriggers() {
        TestDb db = new TestDb(dataSource);
        db.execute("CREATE TABLE t_startup (id INT PRIMARY KEY)");
        triggers.install("t_startup").await().atMost(WAIT);
        db.execute("ALTER TABLE t_startup ADD COLUMN added_later INT");
        assertThat(triggers.status("t_startup").await().atMost(WAIT).state()).isEqualTo(TriggerState.DRIFTED);

        startup.run().await().atMost(WAIT);

        assertThat(triggers.status("t_startup").await().atMost(WAIT).state()).isEqualTo(TriggerState.INSTALLED);
        db.execute("DELETE FROM data_change_logs WHERE table_name = 't_startup'");
        db.update("INSERT INTO t_startup VALUES (1, 42)");
        assertThat(TestDb.json(db.changes("t_startup").get(0).get("change_data")).get("added_later").asInt()).isEqualTo(42);
    }
}
