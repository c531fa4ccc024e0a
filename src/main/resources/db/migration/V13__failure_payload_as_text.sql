-- sync_failures.payload keeps the change's JSON text exactly as the service wrote it. As a JSON column,
-- MySQL re-parses it into its binary form: every fraction becomes a double (DECIMAL 10.00 comes back
-- as 10.0, long decimals lose digits) and object keys are re-sorted, so a retry would render another
-- text than the first attempt. On MariaDB, JSON already is LONGTEXT (with a json_valid check); the
-- service validates the payload itself (it writes what it parsed). Valid on MySQL 8.0+ and MariaDB 10.6+.
ALTER TABLE sync_failures MODIFY payload LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL;
