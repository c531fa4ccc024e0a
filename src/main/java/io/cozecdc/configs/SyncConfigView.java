package io.cozecdc.configs;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A sync configuration as the API shows it. */
@Schema(name = "SyncConfig")
public record SyncConfigView(
        @Schema(example = "1") long id,
        @Schema(example = "products-public") String name,
        @Schema(example = "products") String tableName,
        @Schema(description = "Coze dataset id, as a string", example = "7486431234567890123") String datasetId,
        @Schema(description = "Columns sent; empty = every column") List<String> fields,
        String template,
        boolean enabled,
        @Schema(description = "ACTIVE, PAUSED (disabled) or ERROR (Coze refused the configuration)", example = "ACTIVE") String status,
        @Schema(description = "Why the status is not ACTIVE") String statusReason,
        Instant createdAt, Instant updatedAt,
        ConfigStats stats,
        @Schema(description = "The latest backfill, if any") BackfillView backfill) {

    static SyncConfigView of(SyncConfig c, ConfigStats stats, BackfillView backfill) {
        return new SyncConfigView(c.id(), c.name(), c.tableName(), Long.toString(c.datasetId()), c.fields(), c.template(),
                c.enabled(), c.status().name(), c.statusReason(), c.createdAt(), c.updatedAt(), stats, backfill);
    }
}
