-- Related tables (issue 16): the work a change of a related row creates, and the index of which related
-- rows each document rendered.

-- A fan-out: the documents of one configuration whose parent row joins (along one relation path) to a
-- changed related row must be rendered again. Created in the transaction that marks the change processed;
-- the fan-out worker copies the affected parent keys into data_change_logs as SNAPSHOT rows for the
-- configuration, a chunk at a time, in key order, and stores the last key copied in the same transaction,
-- so a restart resumes after it. The row is deleted when every key has been copied. One row per
-- (configuration, relation path, related row, join values): a newer change of the same related row with
-- the same join values starts the existing job again from the first key (generation + 1) instead of adding
-- a second one.
CREATE TABLE fanout_jobs (
    id               BIGINT        NOT NULL AUTO_INCREMENT,
    config_id        BIGINT        NOT NULL,
    -- relation names from the configuration's table down to the changed table, dot-separated ("product.supplier")
    relation_path    VARCHAR(200)  NOT NULL,
    table_name       VARCHAR(64)   NOT NULL,
    -- the changed related row's key, byte for byte
    record_key       VARBINARY(1020) NOT NULL,
    -- the changed row's join columns (the relation's right-hand side) as a JSON object, and its SHA-256
    join_values      TEXT          NOT NULL,
    join_hash        CHAR(64)      CHARACTER SET ascii NOT NULL,
    -- the newest change (data_change_logs.id) that asked for this fan-out
    source_log_id    BIGINT        NOT NULL,
    -- bumped when a newer change restarts the job; a chunk copied under an older generation is rolled back
    generation       INT           NOT NULL DEFAULT 0,
    -- the last parent key copied, byte for byte; NULL before the first chunk
    last_key         VARBINARY(1020) NULL DEFAULT NULL,
    documents_queued BIGINT        NOT NULL DEFAULT 0,
    created_at       TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    updated_at       TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    -- lease of the worker that runs it (database clock)
    claimed_by       VARCHAR(128)  NULL DEFAULT NULL,
    claim_expires_at TIMESTAMP(3)  NULL DEFAULT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uk_fanout_jobs_target (config_id, relation_path, table_name, record_key, join_hash),
    INDEX idx_fanout_jobs_due (claim_expires_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- Which related rows each document was rendered from, for the relations whose join an UPDATE's NEW data
-- cannot undo (to-many relations, and to-one relations not joined on the related table's primary key):
-- when such a row moves to another parent, the old parent's document is found here. Written in the
-- transaction that reads the related rows with locking reads, so a writer of those rows commits after it.
-- seen_log_id is the newest change whose delivery read the row; a delivery of change L removes the
-- document's entries with a smaller seen_log_id (rows it no longer renders).
CREATE TABLE document_dependencies (
    config_id     BIGINT          NOT NULL,
    related_table VARCHAR(64)     NOT NULL,
    related_key   VARBINARY(1020) NOT NULL,
    record_key    VARBINARY(1020) NOT NULL,
    seen_log_id   BIGINT          NOT NULL,
    PRIMARY KEY (config_id, related_table, related_key, record_key),
    INDEX idx_document_dependencies_record (config_id, record_key)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
