package io.cozecdc.changelog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;

import io.cozecdc.testing.TestDb;

/** Pending counts and ages over several tables, with processed rows mixed in. */
@QuarkusTest
class PendingStatsTest {

    @Inject
    AgroalDataSource dataSource;
    @Inject
    PendingStatsService stats;

    TestDb db;

    @BeforeEach
    void setUp() {
        db = new TestDb(dataSource);
        db.execute("DELETE FROM data_change_logs");
    }

    @Test
    void nothingPending() {
        PendingStats s = stats.current().await().atMost(Duration.ofSeconds(10));
        assertThat(s.total()).isZero();
        assertThat(s.tables()).isEmpty();
        assertThat(s.oldestAt()).isNull();
        assertThat(s.oldestAge()).isEqualTo(Duration.ZERO);
    }

    @Test
    void countsAndOldestAgePerTable() {
        row("products", 0, 120);
        row("products", 0, 30);
        row("products", 1, 500); // processed: ignored even though it is the oldest
        row("suppliers", 0, 10);
        row("inventory_records", 1, 5);

        PendingStats s = stats.current().await().atMost(Duration.ofSeconds(10));
        assertThat(s.total()).isEqualTo(3);
        assertThat(s.tables()).extracting(PendingStats.TablePending::table).containsExactly("products", "suppliers");
        PendingStats.TablePending products = s.tables().get(0);
        assertThat(products.count()).isEqualTo(2);
        assertThat(products.oldestAge()).isBetween(Duration.ofSeconds(119), Duration.ofSeconds(125));
        assertThat(s.tables().get(1).count()).isEqualTo(1);
        assertThat(s.tables().get(1).oldestAge()).isBetween(Duration.ofSeconds(9), Duration.ofSeconds(15));
        assertThat(s.oldestAge()).isEqualTo(products.oldestAge());
        assertThat(s.oldestAt()).isEqualTo(products.oldestAt());
    }

    private void row(String table, int processed, int ageSeconds) {
        db.update("INSERT INTO data_change_logs (table_name, record_uuid, operation_type, processed, created_at) "
                + "VALUES (?, UUID(), 'INSERT', ?, NOW(3) - INTERVAL ? SECOND)", table, processed, ageSeconds);
    }
}
