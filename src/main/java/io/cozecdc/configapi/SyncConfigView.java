package io.cozecdc.configapi;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

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
        @Schema(description = "Related tables rendered into each row's document") List<RelationRequest> related,
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
        @JsonInclude(JsonInclude.Include.NON_NULL) FanoutView fanout,
        @Schema(description = "Create and replace only: what was accepted but deserves a look, e.g. a join column without an "
                + "index", example = "[\"related[1].join: table inventory_records has no index starting with (product_id): "
                + "reading a document's rows of movements scans the table\"]")
        @JsonInclude(JsonInclude.Include.NON_NULL) List<String> warnings,
        @Schema(description = "Replace only: how many rows of the table will be rendered again because fields, template or related "
                + "changed (each is uploaded only when its text changes); 0 when none of them changed", example = "1200")
        @JsonInclude(JsonInclude.Include.NON_NULL) Long rowsToCheck) {

    static SyncConfigView of(SyncConfig c, ConfigStats stats, BackfillView backfill) {
        return of(c, stats, backfill, null);
    }

    static SyncConfigView of(SyncConfig c, ConfigStats stats, BackfillView backfill, FanoutView fanout) {
        return new SyncConfigView(c.id(), c.name(), c.tableName(), Long.toString(c.datasetId()), c.fields(), c.template(),
                RelationRequest.of(c.related()), c.enabled(), c.status().name(), c.statusReason(), c.createdAt(), c.updatedAt(),
                stats, backfill, c.hasRelations() ? fanout : null, null, null);
    }

    /** This view with the warnings of a create or replace. */
    SyncConfigView withWarnings(List<String> list) {
        return new SyncConfigView(id, name, tableName, datasetId, fields, template, related, enabled, status, statusReason,
                createdAt, updatedAt, stats, backfill, fanout, List.copyOf(list), rowsToCheck);
    }

    /** This view with the number of rows a replace re-renders. */
    SyncConfigView withRowsToCheck(long rows) {
        return new SyncConfigView(id, name, tableName, datasetId, fields, template, related, enabled, status, statusReason,
                createdAt, updatedAt, stats, backfill, fanout, warnings, rows);
    }
}
