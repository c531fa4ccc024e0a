package io.cozecdc.configapi;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.cozecdc.configs.SyncConfig;

/** A sync configuration as the API shows it. */
@Schema(name = "SyncConfig")
public record SyncConfigView(
        @Schema(example = "1") long id,
        @Schema(example = "products-public") String name,
        @Schema(example = "products") String tableName,
        @Schema(description = "Coze dataset id, as a string", example = "7486431234567890123") String datasetId,
        @Schema(description = "Columns sent; empty = every column", example = "[\"id\", \"sku\", \"name\", \"unit_price\"]") List<String> fields,
        @Schema(description = "Qute template of a row's document; absent: the fields as name: value lines",
                example = "{name} ({sku}): {unit_price} yuan") String template,
        @Schema(example = "true") boolean enabled,
        @Schema(description = "ACTIVE, PAUSED (disabled) or ERROR (Coze refused the configuration)", example = "ACTIVE",
                enumeration = {"ACTIVE", "PAUSED", "ERROR"}) String status,
        @Schema(description = "Why the status is not ACTIVE", example = "Coze refused the dataset: code 4100 (no permission)")
        String statusReason,
        @Schema(example = "2026-12-02T08:15:30.120Z") Instant createdAt,
        @Schema(example = "2026-12-02T09:40:02.511Z") Instant updatedAt,
        ConfigStats stats,
        @Schema(description = "The latest backfill, if any") BackfillView backfill,
        @Schema(description = "Re-rendering because related rows changed; absent for a configuration without relations")
        FanoutView fanout) {

    static SyncConfigView of(SyncConfig c, ConfigStats stats, BackfillView backfill) {
        return of(c, stats, backfill, null);
    }

    static SyncConfigView of(SyncConfig c, ConfigStats stats, BackfillView backfill, FanoutView fanout) {
        return new SyncConfigView(c.id(), c.name(), c.tableName(), Long.toString(c.datasetId()), c.fields(), c.template(),
                c.enabled(), c.status().name(), c.statusReason(), c.createdAt(), c.updatedAt(), stats, backfill,
                c.hasRelations() ? fanout : null);
    }
}
