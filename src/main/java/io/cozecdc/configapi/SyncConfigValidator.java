package io.cozecdc.configapi;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

import io.cozecdc.api.ApiException;
import io.cozecdc.api.FieldError;
import io.cozecdc.capture.TableDescriber;
import io.cozecdc.capture.TableSchema;
import io.cozecdc.capture.UnknownTableException;
import io.cozecdc.capture.UnsupportedTableException;
import io.cozecdc.configs.Relation;
import io.cozecdc.sync.render.RowRenderer;

/**
 * Checks a sync configuration against the rules and the live schema, collecting every problem as a
 * field error: the table must exist with a single-column key, every field must be one of its
 * columns, the dataset id must be a positive 64-bit integer string, the template must compile, the
 * related tables must follow {@link RelationRules}.
 */
@ApplicationScoped
public class SyncConfigValidator {

    static final int MAX_NAME = 100;
    static final int MAX_TEMPLATE = 65_536;
    static final int MAX_FIELDS = 1000;
    static final Pattern DATASET_ID = Pattern.compile("[1-9][0-9]{0,18}");

    private final TableDescriber describer;
    private final RowRenderer renderer;

    public SyncConfigValidator(TableDescriber describer, RowRenderer renderer) {
        this.describer = describer;
        this.renderer = renderer;
    }

    /** The validated values, or a 400 {@link ApiException} listing every invalid field. */
    public Uni<Valid> validate(SyncConfigRequest request) {
        List<FieldError> errors = new ArrayList<>();
        String name = request.name() == null ? null : request.name().strip();
        if (name == null || name.isEmpty()) {
            errors.add(new FieldError("name", "is required"));
        } else if (name.length() > MAX_NAME) {
            errors.add(new FieldError("name", "must be at most " + MAX_NAME + " characters"));
        } else if (name.chars().anyMatch(Character::isISOControl)) {
            errors.add(new FieldError("name", "must not contain control characters"));
        }
        Long datasetId = datasetId(request.datasetId(), errors);
        List<String> fields = request.fields() == null ? List.of() : request.fields();
        checkFieldList(fields, errors);
        String template = request.template() == null || request.template().isBlank() ? null : request.template();
        if (template != null) {
            checkTemplate(template, errors);
        }
        if (request.tableName() == null || request.tableName().isBlank()) {
            errors.add(new FieldError("tableName", "is required"));
            return Uni.createFrom().failure(ApiException.invalid(errors));
        }
        return describer.describe(request.tableName())
                .onFailure(UnknownTableException.class).recoverWithItem(e -> {
                    errors.add(new FieldError("tableName", e.getMessage()));
                    return null;
                })
                .onFailure(UnsupportedTableException.class).recoverWithItem(e -> {
                    errors.add(new FieldError("tableName", e.getMessage()));
                    return null;
                })
                .chain(schema -> describeRelated(request.related()).map(related -> {
                    RelationRules rules = new RelationRules(related.schemas(), related.errors(), errors);
                    List<Relation> relations = List.of();
                    if (schema != null) {
                        checkColumns(schema, fields, errors);
                        relations = rules.check(request.related(), schema, "", 1, Set.of(schema.table()));
                        if (template != null && errors.stream().noneMatch(e -> e.field().equals("template"))) {
                            Map<String, TableSchema> byTable = new HashMap<>();
                            related.schemas().values().forEach(t -> byTable.put(t.table(), t));
                            checkTemplateNames(template, fields.isEmpty() ? schema.columnNames() : fields,
                                    RelationRules.templateNames(relations, byTable), errors);
                        }
                    }
                    if (!errors.isEmpty()) {
                        throw ApiException.invalid(errors);
                    }
                    boolean enabled = request.enabled() == null || request.enabled();
                    return new Valid(name, schema.table(), datasetId, List.copyOf(fields), template, enabled, relations,
                            List.copyOf(rules.warnings()));
                }));
    }

    /** Describes every table the relations name; a table that cannot be described gets its reason instead. */
    private Uni<Described> describeRelated(List<RelationRequest> requests) {
        Map<String, TableSchema> schemas = new HashMap<>();
        Map<String, String> problems = new HashMap<>();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (String table : RelationRules.tables(requests)) {
            chain = chain.chain(() -> describer.describe(table)
                    .invoke(s -> schemas.put(table, s))
                    .onFailure(e -> e instanceof UnknownTableException || e instanceof UnsupportedTableException)
                    .recoverWithItem(e -> {
                        problems.put(table, e.getMessage());
                        return null;
                    })
                    .replaceWithVoid());
        }
        return chain.map(x -> new Described(schemas, problems));
    }

    private record Described(Map<String, TableSchema> schemas, Map<String, String> errors) {
    }

    private static Long datasetId(String value, List<FieldError> errors) {
        if (value == null || value.isBlank()) {
            errors.add(new FieldError("datasetId", "is required"));
            return null;
        }
        if (!DATASET_ID.matcher(value).matches()) {
            errors.add(new FieldError("datasetId", "must be a positive 64-bit integer written as a string, e.g. \"7486431234567890123\""));
            return null;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            errors.add(new FieldError("datasetId", "must be at most 9223372036854775807"));
            return null;
        }
    }

    private static void checkFieldList(List<String> fields, List<FieldError> errors) {
        if (fields.size() > MAX_FIELDS) {
            errors.add(new FieldError("fields", "must list at most " + MAX_FIELDS + " columns"));
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < fields.size(); i++) {
            String f = fields.get(i);
            if (f == null || f.isEmpty()) {
                errors.add(new FieldError("fields[" + i + "]", "must be a column name"));
            } else if (!seen.add(f)) {
                errors.add(new FieldError("fields[" + i + "]", "'" + f + "' is listed twice"));
            }
        }
    }

    private static void checkColumns(TableSchema schema, List<String> fields, List<FieldError> errors) {
        Set<String> columns = new HashSet<>(schema.columnNames());
        for (int i = 0; i < fields.size(); i++) {
            String f = fields.get(i);
            if (f != null && !f.isEmpty() && !columns.contains(f)) {
                errors.add(new FieldError("fields[" + i + "]", "'" + shorten(f) + "' is not a column of table " + schema.table()));
            }
        }
    }

    private void checkTemplate(String template, List<FieldError> errors) {
        if (template.length() > MAX_TEMPLATE) {
            errors.add(new FieldError("template", "must be at most " + MAX_TEMPLATE + " characters"));
            return;
        }
        try {
            renderer.compile(template);
        } catch (RuntimeException e) {
            errors.add(new FieldError("template", "does not compile: " + firstLine(e.getMessage())));
        }
    }

    /** Every name the template uses that the row will not have, as its own error. */
    private void checkTemplateNames(String template, List<String> available, Map<String, RowRenderer.TemplateRelation> relations,
            List<FieldError> errors) {
        List<String> unknown = renderer.unknownNames(template, available, relations);
        if (unknown.isEmpty()) {
            return;
        }
        List<String> shown = available.size() > 30 ? available.subList(0, 30) : available;
        String offer = "; it can use " + String.join(", ", shown) + (shown.size() < available.size() ? ", …" : "")
                + (relations.isEmpty() ? "" : ", the relations " + String.join(", ", relations.keySet()) + " and their fields")
                + " and cdc." + String.join(", cdc.", RowRenderer.CDC_NAMES);
        for (String name : unknown) {
            errors.add(new FieldError("template", shorten(name) + " names no field of this configuration" + offer));
        }
    }

    private static String shorten(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }

    private static String firstLine(String message) {
        return message == null ? "syntax error" : message.lines().findFirst().orElse("syntax error");
    }

    /**
     * A request that passed validation, with the table names as the database spells them.
     *
     * @param related  the relations, to-one or to-many decided ({@code limit} set exactly for to-many)
     * @param warnings what was accepted but deserves a look (a join without an index)
     */
    public record Valid(String name, String tableName, long datasetId, List<String> fields, String template, boolean enabled,
            List<Relation> related, List<String> warnings) {
    }
}
