-- Related tables rendered into a configuration's documents (issue 16): a JSON list of relations
-- ({"name", "table", "join": {parentColumn: relatedColumn}, "fields", "orderBy", "limit", "related"}).
-- NULL or [] means none. Valid on MySQL 8.0+ and MariaDB 10.6+.
ALTER TABLE sync_configs ADD COLUMN related JSON NULL;
