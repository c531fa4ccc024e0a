package io.cozecdc.configapi;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

import io.quarkus.runtime.annotations.RegisterForReflection;

import io.cozecdc.api.StrictStringDeserializer;

/** A sync configuration as written by a client (create, replace, import). */
@RegisterForReflection // also read and written by ConfigTransfer's own YAML/JSON mappers
@Schema(name = "SyncConfigRequest", description = "What to sync where")
public record SyncConfigRequest(
        @Schema(description = "Unique name, 1-100 characters", example = "products-public", required = true) String name,
        @Schema(description = "The captured table; it needs a single-column primary key", example = "products", required = true)
        String tableName,
        @Schema(description = "Coze dataset (knowledge base) id: a positive 64-bit integer written as a string, "
                + "because such ids exceed JavaScript's safe integers", example = "7486431234567890123", required = true)
        @JsonDeserialize(using = StrictStringDeserializer.class) String datasetId,
        @Schema(description = "Columns to send, in this order; empty or absent means every column",
                example = "[\"id\", \"sku\", \"name\", \"unit_price\", \"stock_quantity\"]") List<String> fields,
        @Schema(description = "Optional Qute template for a row's document. It sees the kept fields by name, each relation by "
                + "its name ({supplier.name}; {#for m in movements}{m.warehouse}{/for}) and {cdc.table}, {cdc.key}, {cdc.operation}, "
                + "{cdc.config}, {cdc.capturedAt} (when the row was captured, e.g. 2026-12-05 10:03, in cdc.render.time-zone)",
                example = "{name} ({sku}) costs {unit_price} yuan, {stock_quantity} in stock")
        String template,
        @Schema(description = "Sync now (default true)", example = "true") Boolean enabled,
        @Schema(description = "Related tables whose rows are rendered into each row's document; empty or absent for none")
        List<RelationRequest> related) {

    /** A configuration without related tables. */
    public SyncConfigRequest(String name, String tableName, String datasetId, List<String> fields, String template, Boolean enabled) {
        this(name, tableName, datasetId, fields, template, enabled, null);
    }
}
