-- Record keys compare byte for byte WITHOUT padding, so source keys 'A1' and 'A1 ' (distinct under
-- MySQL 8's default utf8mb4_0900_ai_ci and any NO PAD collation) keep separate documents, failures
-- and Coze document rows. utf8mb4_bin, used so far, is PAD SPACE on both servers: it made the two keys
-- one. The NO PAD binary collation has a different name on each server (MariaDB utf8mb4_nopad_bin,
-- MySQL 8.0.17+ utf8mb4_0900_bin), so it is looked up in information_schema.COLLATIONS. Every key that
-- was distinct under PAD SPACE stays distinct, so the unique keys cannot fail.
-- The three tables hold one row per synced record and are rebuilt once. data_change_logs is left alone:
-- its keys reach the service as exact strings, and rebuilding it would block the capture triggers.
-- A server with neither collation (MySQL before 8.0.17) keeps utf8mb4_bin (warning in docs/operations.md).
DELIMITER $$
CREATE PROCEDURE cdc_v14_record_keys_no_pad()
BEGIN
    DECLARE nopad VARCHAR(64) DEFAULT NULL;
    SET nopad = (SELECT COLLATION_NAME FROM information_schema.COLLATIONS
                  WHERE COLLATION_NAME IN ('utf8mb4_nopad_bin', 'utf8mb4_0900_bin')
                  ORDER BY COLLATION_NAME = 'utf8mb4_nopad_bin' DESC LIMIT 1);
    IF nopad IS NOT NULL THEN
        SET @cdc_v14 = CONCAT('ALTER TABLE synced_documents MODIFY record_key VARCHAR(255) CHARACTER SET utf8mb4 COLLATE ',
                              nopad, ' NOT NULL');
        PREPARE stmt FROM @cdc_v14;
        EXECUTE stmt;
        DEALLOCATE PREPARE stmt;
        SET @cdc_v14 = CONCAT('ALTER TABLE coze_documents MODIFY record_key VARCHAR(255) CHARACTER SET utf8mb4 COLLATE ',
                              nopad, ' NOT NULL');
        PREPARE stmt FROM @cdc_v14;
        EXECUTE stmt;
        DEALLOCATE PREPARE stmt;
        SET @cdc_v14 = CONCAT('ALTER TABLE sync_failures MODIFY record_key VARCHAR(255) CHARACTER SET utf8mb4 COLLATE ',
                              nopad, ' NOT NULL');
        PREPARE stmt FROM @cdc_v14;
        EXECUTE stmt;
        DEALLOCATE PREPARE stmt;
        SET @cdc_v14 = NULL;
    END IF;
END$$
DELIMITER ;

CALL cdc_v14_record_keys_no_pad();
DROP PROCEDURE cdc_v14_record_keys_no_pad;
