package io.cozecdc.changelog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;

import io.cozecdc.testing.TestDb;

/** What Flyway leaves behind: the original's index names, the procedure and the event. */
@QuarkusTest
class SchemaObjectsTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void everyOriginalIndexNameExists() {
        TestDb db = new TestDb(dataSource);
        List<Object> indexes = db.query("SELECT DISTINCT INDEX_NAME FROM information_schema.STATISTICS "
                + "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'data_change_logs'")
                .stream().map(r -> r.get("INDEX_NAME")).toList();
        assertThat(indexes).contains("idx_table_name", "idx_record_uuid", "idx_operation_type", "idx_created_at",
                "idx_processed");
    }

    @Test
    void theOriginalColumnsAndTheAdditionsExist() {
        TestDb db = new TestDb(dataSource);
        List<Object> columns = db.query("SELECT COLUMN_NAME FROM information_schema.COLUMNS "
                + "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'data_change_logs' ORDER BY ORDINAL_POSITION")
                .stream().map(r -> r.get("COLUMN_NAME")).toList();
        assertThat(columns).containsExactly("id", "table_name", "record_uuid", "operation_type", "change_data",
                "created_at", "processed", "processed_at", "claimed_by", "claim_expires_at", "target_config_id");
        for (String table : List.of("sync_configs", "synced_documents", "sync_failures", "capture_tables", "coze_documents")) {
            assertThat(db.count("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?",
                    table)).as(table).isEqualTo(1);
        }
    }

    @Test
    void theCleanupProcedureAndTheDailyEventExist() {
        TestDb db = new TestDb(dataSource);
        assertThat(db.query("SELECT ROUTINE_NAME FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE() "
                + "AND ROUTINE_TYPE = 'PROCEDURE'")).extracting(r -> r.get("ROUTINE_NAME"))
                .contains("cleanup_processed_changes", "cleanup_processed_changes_older_than");
        var event = db.query("SELECT EVENT_NAME, INTERVAL_VALUE, INTERVAL_FIELD, TIME(STARTS) AS starts_at, STATUS, "
                + "EVENT_DEFINITION FROM information_schema.EVENTS WHERE EVENT_SCHEMA = DATABASE()");
        assertThat(event).singleElement().satisfies(e -> {
            assertThat(e.get("EVENT_NAME")).isEqualTo("event_cleanup_processed_changes");
            assertThat(e.get("INTERVAL_VALUE")).isEqualTo("1");
            assertThat(e.get("INTERVAL_FIELD")).isEqualTo("DAY");
            assertThat(String.valueOf(e.get("starts_at"))).isEqualTo("02:00:00");
            assertThat(e.get("STATUS")).isEqualTo("ENABLED");
            assertThat(String.valueOf(e.get("EVENT_DEFINITION"))).contains("cleanup_processed_changes()");
        });
    }
}
