package io.cozecdc.configapi;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

import io.quarkus.runtime.annotations.RegisterForReflection;

import io.cozecdc.api.StrictIntegerDeserializer;
import io.cozecdc.api.StrictStringDeserializer;
import io.cozecdc.configs.Relation;

/**
 * A related table of a sync configuration, as clients write it and the API shows it (issue 16):
 * {@code {"name": "supplier", "table": "suppliers", "join": {"supplier_id": "id"}, "fields": ["name", "city"]}}.
 */
@RegisterForReflection // also read and written by ConfigTransfer's own YAML/JSON mappers
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Relation", description = "A related table whose rows are rendered into each row's document")
public record RelationRequest(
        @Schema(description = "The name templates and the default text use (supplier.name); letters, digits and _, "
                + "unique among its siblings, not a column of the parent table", example = "supplier", required = true)
        @JsonDeserialize(using = StrictStringDeserializer.class) String name,
        @Schema(description = "The related table; it needs a single-column primary key (it is captured too)", example = "suppliers",
                required = true)
        @JsonDeserialize(using = StrictStringDeserializer.class) String table,
        @Schema(description = "Columns of the parent row (the configuration's table, or the relation this one is nested in) "
                + "mapped to columns of table. On the related table's primary key or a unique key the relation is to-one "
                + "(zero or one row), else to-many", example = "{\"supplier_id\": \"id\"}", required = true)
        @JsonDeserialize(contentUsing = StrictStringDeserializer.class) Map<String, String> join,
        @Schema(description = "Columns of table to render, in order; empty or absent means every column",
                example = "[\"name\", \"city\", \"phone\"]")
        @JsonDeserialize(contentUsing = StrictStringDeserializer.class) List<String> fields,
        @Schema(description = "To-many only: one column and ASC or DESC", example = "recorded_at DESC")
        @JsonDeserialize(using = StrictStringDeserializer.class) String orderBy,
        @Schema(description = "To-many only, and required there: how many rows at most, 1-50", example = "5", minimum = "1",
                maximum = "50")
        @JsonDeserialize(using = StrictIntegerDeserializer.class) Integer limit,
        @Schema(description = "Relations nested in this one: to-one only, at most 3 levels in all")
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<RelationRequest> related) {

    /** The API form of a saved relation. */
    static RelationRequest of(Relation r) {
        return new RelationRequest(r.name(), r.table(), r.join(), r.fields(), r.orderBy(), r.limit(),
                r.related().stream().map(RelationRequest::of).toList());
    }

    static List<RelationRequest> of(List<Relation> relations) {
        return relations.stream().map(RelationRequest::of).toList();
    }
}
