-- Backfill (resync) progress per sync configuration, so a restart resumes where it stopped.
CREATE TABLE backfill_jobs (
    config_id        BIGINT        NOT NULL,
    -- RUNNING, DONE, CANCELLED or FAILED
    state            VARCHAR(16)   NOT NULL,
    rows_total       BIGINT        NOT NULL DEFAULT 0,
    rows_done        BIGINT        NOT NULL DEFAULT 0,
    -- the key of the last row copied, as text; NULL before the first chunk
    last_key         VARCHAR(255)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL DEFAULT NULL,
    error            VARCHAR(1000) NULL DEFAULT NULL,
    started_at       TIMESTAMP(3)  NOT NULL,
    finished_at      TIMESTAMP(3)  NULL DEFAULT NULL,
    updated_at       TIMESTAMP(3)  NOT NULL,
    claimed_by       VARCHAR(128)  NULL DEFAULT NULL,
    claim_expires_at TIMESTAMP(3)  NULL DEFAULT NULL,
    PRIMARY KEY (config_id),
    INDEX idx_backfill_jobs_state (state)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
