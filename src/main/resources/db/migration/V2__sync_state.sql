-- What syncs where.
CREATE TABLE sync_configs (
    id            BIGINT        NOT NULL AUTO_INCREMENT,
    name          VARCHAR(100)  NOT NULL,
    table_name    VARCHAR(64)   NOT NULL,
    -- Coze dataset id (a positive 64-bit integer)
    dataset_id    BIGINT        NOT NULL,
    -- JSON list of column names; NULL or [] means every column
    fields        JSON          NULL,
    -- optional Qute template rendering one row as text
    template      TEXT          NULL,
    enabled       TINYINT(1)    NOT NULL DEFAULT 1,
    -- ACTIVE, PAUSED or ERROR; the reason says why when not ACTIVE
    status        VARCHAR(16)   NOT NULL DEFAULT 'ACTIVE',
    status_reason VARCHAR(1000) NULL DEFAULT NULL,
    created_at    TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    updated_at    TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (id),
    UNIQUE KEY uk_sync_configs_name (name),
    INDEX idx_sync_configs_table (table_name),
    INDEX idx_sync_configs_updated (updated_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- Row -> Coze document map, one row per (config, record key). The version guard lives here:
-- last_log_id is the newest change accepted for the row; nothing older may overwrite it.
CREATE TABLE synced_documents (
    config_id            BIGINT       NOT NULL,
    record_key           VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    -- the document the bot can find now (processing finished), NULL when none
    document_id          VARCHAR(32)  NULL DEFAULT NULL,
    content_hash         CHAR(64)     NULL DEFAULT NULL,
    last_log_id          BIGINT       NOT NULL,
    -- tombstone: the row was deleted at last_log_id; an older change cannot bring it back
    deleted              TINYINT(1)   NOT NULL DEFAULT 0,
    -- a replacement created for last_log_id that Coze is still processing
    pending_document_id  VARCHAR(32)  NULL DEFAULT NULL,
    pending_content_hash CHAR(64)     NULL DEFAULT NULL,
    updated_at           TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (config_id, record_key)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- Every document the service created and has not yet seen deleted: its processing state in Coze,
-- and whether it is still wanted. OBSOLETE documents are deleted from Coze and then from here.
CREATE TABLE coze_documents (
    document_id   VARCHAR(32)   NOT NULL,
    config_id     BIGINT        NOT NULL,
    dataset_id    BIGINT        NOT NULL,
    record_key    VARCHAR(255)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    log_id        BIGINT        NOT NULL,
    content_hash  CHAR(64)      NOT NULL,
    -- PROCESSING, DONE, FAILED (Coze status 9) or OBSOLETE (to be deleted)
    state         VARCHAR(16)   NOT NULL,
    state_reason  VARCHAR(1000) NULL DEFAULT NULL,
    -- when the log row was captured, for the capture -> ready lag
    captured_at   TIMESTAMP(3)  NULL DEFAULT NULL,
    created_at    TIMESTAMP(3)  NOT NULL,
    next_check_at TIMESTAMP(3)  NOT NULL,
    delete_attempts INT         NOT NULL DEFAULT 0,
    PRIMARY KEY (document_id),
    INDEX idx_coze_documents_work (state, next_check_at),
    INDEX idx_coze_documents_record (config_id, record_key)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- Retry queue and dead letters: at most one open failure per (config, record key), holding the
-- newest failed change of that record.
CREATE TABLE sync_failures (
    id               BIGINT        NOT NULL AUTO_INCREMENT,
    config_id        BIGINT        NOT NULL,
    log_id           BIGINT        NOT NULL,
    table_name       VARCHAR(64)   NOT NULL,
    record_key       VARCHAR(255)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    operation        VARCHAR(16)   NOT NULL,
    payload          JSON          NULL,
    error_code       INT           NULL DEFAULT NULL,
    error_message    VARCHAR(2000) NULL DEFAULT NULL,
    -- Coze's request id (detail.logid / X-Tt-Logid) for support tickets
    logid            VARCHAR(128)  NULL DEFAULT NULL,
    attempts         INT           NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMP(3)  NULL DEFAULT NULL,
    -- RETRYING or DEAD
    status           VARCHAR(16)   NOT NULL,
    captured_at      TIMESTAMP(3)  NULL DEFAULT NULL,
    created_at       TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    updated_at       TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    claimed_by       VARCHAR(128)  NULL DEFAULT NULL,
    claim_expires_at TIMESTAMP(3)  NULL DEFAULT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uk_sync_failures_record (config_id, record_key),
    INDEX idx_sync_failures_due (status, next_attempt_at),
    INDEX idx_sync_failures_log (log_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
