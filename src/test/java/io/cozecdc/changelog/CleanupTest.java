package io.cozecdc.changelog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;

import io.cozecdc.testing.TestDb;

/** Cleanup removes processed rows older than the retention and nothing else. */
@QuarkusTest
class CleanupTest {

    @Inject
    AgroalDataSource dataSource;
    @Inject
    CleanupService cleanup;

    TestDb db;

    @BeforeEach
    void setUp() {
        db = new TestDb(dataSource);
        db.execute("DELETE FROM data_change_logs");
    }

    @Test
    void theServiceCleanupDeletesOnlyProcessedRowsOlderThanTheRetention() {
        seed();
        long removed = cleanup.cleanup().await().atMost(Duration.ofSeconds(30));
        assertThat(removed).isEqualTo(3);
        assertThat(remainingKeys()).containsExactly("pending-old", "processed-recent", "pending-new", "processed-6d");
    }

    @Test
    void theDatabaseProcedureDoesTheSame() {
        seed();
        Object removed = db.scalar("CALL cleanup_processed_changes()");
        assertThat(((Number) removed).longValue()).isEqualTo(3);
        assertThat(remainingKeys()).containsExactly("pending-old", "processed-recent", "pending-new", "processed-6d");
    }

    @Test
    void largeCleanupsWorkInChunks() {
        db.execute("INSERT INTO data_change_logs (table_name, record_uuid, operation_type, processed, processed_at) "
                + "SELECT 'bulk', seq, 'INSERT', 1, NOW(3) - INTERVAL 30 DAY FROM seq_1_to_2500");
        db.update("INSERT INTO data_change_logs (table_name, record_uuid, operation_type) VALUES ('bulk', 'keep', 'INSERT')");
        Object removed = db.scalar("CALL cleanup_processed_changes_older_than(86400, 100)");
        assertThat(((Number) removed).longValue()).isEqualTo(2500);
        assertThat(db.count("SELECT COUNT(*) FROM data_change_logs WHERE table_name = 'bulk'")).isEqualTo(1);
    }

    /** Three rows to delete (processed, older than 7 days) among rows to keep. */
    private void seed() {
        insert("processed-old-1", 1, "NOW(3) - INTERVAL 8 DAY");
        insert("pending-old", 0, null);
        insert("processed-old-2", 1, "NOW(3) - INTERVAL 30 DAY");
        insert("processed-recent", 1, "NOW(3) - INTERVAL 1 HOUR");
        insert("processed-old-3", 1, "NOW(3) - INTERVAL 7 DAY - INTERVAL 1 MINUTE");
        insert("pending-new", 0, null);
        insert("processed-6d", 1, "NOW(3) - INTERVAL 6 DAY");
        db.execute("UPDATE data_change_logs SET created_at = NOW(3) - INTERVAL 40 DAY WHERE record_uuid = 'pending-old'");
    }

    private void insert(String key, int processed, String processedAtSql) {
        db.execute("INSERT INTO data_change_logs (table_name, record_uuid, operation_type, processed, processed_at) VALUES "
                + "('t', '" + key + "', 'UPDATE', " + processed + ", " + (processedAtSql == null ? "NULL" : processedAtSql) + ")");
    }

    private List<Object> remainingKeys() {
        return db.query("SELECT record_uuid FROM data_change_logs ORDER BY id").stream().map(r -> r.get("record_uuid")).toList();
    }
}
