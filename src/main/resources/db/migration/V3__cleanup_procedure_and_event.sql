-- Deletes processed change-log rows older than the retention, a chunk at a time, so no statement
-- holds locks for long. Returns the number of rows removed as a one-row result.
DELIMITER $$
CREATE PROCEDURE cleanup_processed_changes_older_than(IN retention_seconds BIGINT, IN chunk_size INT)
BEGIN
    DECLARE cutoff TIMESTAMP(3) DEFAULT NOW(3) - INTERVAL retention_seconds SECOND;
    DECLARE removed INT DEFAULT 1;
    DECLARE total BIGINT DEFAULT 0;
    WHILE removed > 0 DO
        DELETE FROM data_change_logs
         WHERE processed = 1 AND processed_at < cutoff
         ORDER BY id
         LIMIT chunk_size;
        SET removed = ROW_COUNT();
        SET total = total + removed;
    END WHILE;
    SELECT total AS removed_rows;
END$$

-- The original's entry point: 7 days of retention, 1000 rows per chunk.
CREATE PROCEDURE cleanup_processed_changes()
BEGIN
    CALL cleanup_processed_changes_older_than(7 * 24 * 3600, 1000);
END$$
DELIMITER ;

-- Daily at 02:00 server time. Needs event_scheduler=ON; the service runs the same cleanup on its own
-- schedule and warns at startup when the scheduler is off.
CREATE EVENT event_cleanup_processed_changes
    ON SCHEDULE EVERY 1 DAY
    STARTS TIMESTAMP(CURRENT_DATE + INTERVAL 1 DAY, '02:00:00')
    ON COMPLETION PRESERVE
    DO CALL cleanup_processed_changes();
