-- Create intents: what the service is about to create in Coze, written before each create call is
-- sent (Coze has no idempotency key and no lookup by name). A row is deleted when the call's outcome
-- is known: by the commit that records the created document, when Coze refuses the call, or by the
-- resolver that looked the name up in the dataset after an unanswered call or a crash. Every row is
-- an open intent.
CREATE TABLE create_intents (
    id            VARCHAR(36)   NOT NULL,
    config_id     BIGINT        NOT NULL,
    dataset_id    BIGINT        NOT NULL,
    table_name    VARCHAR(64)   NOT NULL,
    record_key    VARCHAR(255)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    -- the change the document carries (data_change_logs.id) and its operation
    log_id        BIGINT        NOT NULL,
    operation     VARCHAR(16)   NOT NULL,
    captured_at   TIMESTAMP(3)  NULL DEFAULT NULL,
    -- SHA-256 of the document's text
    content_hash  CHAR(64)      NOT NULL,
    -- the name sent to Coze; its time part is created_at
    document_name VARCHAR(255)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    -- the database's clock when the call got its permit and was sent (explicit DEFAULTs keep the
    -- table valid where explicit_defaults_for_timestamp is OFF)
    created_at    TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    -- who may act on it until lease_until (database clock): the sender while the call and its commit
    -- run, then a resolver
    owner         VARCHAR(128)  NOT NULL,
    lease_until   TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    -- resolutions tried so far
    attempts      INT           NOT NULL DEFAULT 0,
    PRIMARY KEY (id),
    INDEX idx_create_intents_due (lease_until),
    INDEX idx_create_intents_name (dataset_id, document_name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
