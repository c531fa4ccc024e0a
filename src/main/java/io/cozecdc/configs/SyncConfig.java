package io.cozecdc.configs;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A row of sync_configs: which table syncs into which Coze dataset, with which fields and template.
 *
 * @param fields   columns to keep, in the order to render them; empty means every column
 * @param template optional Qute template rendering one row; null means "field: value" lines
 * @param related  tables whose rows are rendered into each row's document; empty for none
 */
public record SyncConfig(long id, String name, String tableName, long datasetId, List<String> fields, String template,
        boolean enabled, ConfigStatus status, String statusReason, Instant createdAt, Instant updatedAt,
        List<Relation> related) {

    public SyncConfig {
        fields = fields == null ? List.of() : List.copyOf(fields);
        related = related == null ? List.of() : List.copyOf(related);
    }

    /** A configuration without related tables. */
    public SyncConfig(long id, String name, String tableName, long datasetId, List<String> fields, String template,
            boolean enabled, ConfigStatus status, String statusReason, Instant createdAt, Instant updatedAt) {
        this(id, name, tableName, datasetId, fields, template, enabled, status, statusReason, createdAt, updatedAt, List.of());
    }

    /** This configuration with another lifecycle state; only {@link ConfigLifecycle} decides which. */
    SyncConfig withStatus(boolean enabled, ConfigStatus status, String reason, Instant at) {
        return new SyncConfig(id, name, tableName, datasetId, fields, template, enabled, status, reason, createdAt, at, related);
    }

    /** Every table the configuration names: its own, then every related table at every level, in order, once each. */
    public Set<String> tables() {
        Set<String> tables = new LinkedHashSet<>();
        tables.add(tableName);
        tables.addAll(Relation.tables(related));
        return tables;
    }

    /** True when documents are built from more than the configuration's own table. */
    public boolean hasRelations() {
        return !related.isEmpty();
    }

    /** True when changes should reach Coze now. */
    public boolean isActive() {
        return enabled && status == ConfigStatus.ACTIVE;
    }
}
