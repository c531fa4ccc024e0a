package io.cozecdc.configs;

import java.time.Instant;
import java.util.List;

/**
 * A row of sync_configs: which table syncs into which Coze dataset, with which fields and template.
 *
 * @param fields   columns to keep, in the order to render them; empty means every column
 * @param template optional Qute template rendering one row; null means "field: value" lines
 */
public record SyncConfig(long id, String name, String tableName, long datasetId, List<String> fields, String template,
        boolean enabled, ConfigStatus status, String statusReason, Instant createdAt, Instant updatedAt) {

    public SyncConfig {
        fields = fields == null ? List.of() : List.copyOf(fields);
    }

    /** True when changes should reach Coze now. */
    public boolean isActive() {
        return enabled && status == ConfigStatus.ACTIVE;
    }
}
