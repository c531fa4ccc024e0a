-- Table names are case-sensitive on Linux servers (lower_case_table_names=0): `Orders` and `orders` can
-- both exist and both be captured. Compare them byte for byte, so capturing or removing one never
-- overwrites or forgets the other. Valid on MySQL 8.0+ and MariaDB 10.6+.
ALTER TABLE capture_tables
    MODIFY table_name VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL;
