-- Leases for jobs that one replica at a time should run (reconciliation, cleanup).
CREATE TABLE cdc_job_leases (
    job        VARCHAR(64)  NOT NULL,
    owner      VARCHAR(128) NOT NULL,
    expires_at TIMESTAMP(3) NOT NULL,
    PRIMARY KEY (job)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
