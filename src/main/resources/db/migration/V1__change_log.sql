-- The change log written by the capture triggers. Column meanings and index names are those of the
-- original service so existing tooling keeps working; the additions support leases, backfill and
-- lag measurement. Valid on MySQL 8.0+ and MariaDB 10.6+.
CREATE TABLE data_change_logs (
    id               BIGINT       NOT NULL AUTO_INCREMENT,
    table_name       VARCHAR(64)  NOT NULL,
    -- the row key as text; wider than a UUID so integer and VARCHAR keys fit
    record_uuid      VARCHAR(255) NOT NULL,
    operation_type   ENUM('INSERT', 'UPDATE', 'DELETE', 'SNAPSHOT') NOT NULL,
    change_data      JSON         NULL,
    -- millisecond precision so sync lag can be measured
    created_at       TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    processed        TINYINT(1)   NOT NULL DEFAULT 0,
    processed_at     TIMESTAMP(3) NULL DEFAULT NULL,
    -- lease: which replica holds the row and until when
    claimed_by       VARCHAR(128) NULL DEFAULT NULL,
    claim_expires_at TIMESTAMP(3) NULL DEFAULT NULL,
    -- backfill rows (SNAPSHOT) go only to this sync configuration
    target_config_id BIGINT       NULL DEFAULT NULL,
    PRIMARY KEY (id),
    INDEX idx_table_name (table_name),
    INDEX idx_record_uuid (record_uuid),
    INDEX idx_operation_type (operation_type),
    INDEX idx_created_at (created_at),
    INDEX idx_processed (processed)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- Tables whose capture triggers the service manages.
CREATE TABLE capture_tables (
    table_name   VARCHAR(64)  NOT NULL,
    key_column   VARCHAR(64)  NOT NULL,
    -- SHA-256 over the column list the triggers were generated from; a mismatch means drift
    columns_hash CHAR(64)     NOT NULL,
    -- SHA-256 over the trigger bodies as the server stored them right after install; a mismatch
    -- means someone changed the triggers since
    triggers_hash CHAR(64)    NOT NULL,
    installed_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (table_name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
