package io.cozecdc.configapi;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.cozecdc.api.FieldError;
import io.cozecdc.capture.ColumnInfo;
import io.cozecdc.capture.TableSchema;
import io.cozecdc.configs.Relation;
import io.cozecdc.sync.render.RowRenderer;

/**
 * The rules of a configuration's {@code related} list (issue 16), checked against the described tables.
 * Every problem becomes a field error naming the relation ({@code related[1].join},
 * {@code related[0].related[0].fields[2]}); a join the database cannot look up through an index becomes a
 * warning. To-one or to-many is decided here, from the related table's keys: the join's right-hand
 * columns cover its primary key or a unique key → to-one; otherwise to-many, which needs {@code limit}.
 */
final class RelationRules {

    static final int MAX_LEVELS = 3;
    static final int MAX_LIMIT = 50;
    static final int MAX_RELATIONS = 20;
    static final int MAX_FIELDS = 1000;
    /** A name a Qute template can use as the first part of an expression. */
    static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    static final Pattern ORDER_BY = Pattern.compile("\\s*(\\S+)(?:\\s+(ASC|DESC))?\\s*", Pattern.CASE_INSENSITIVE);

    private final Map<String, TableSchema> schemas;
    private final Map<String, String> tableErrors;
    private final List<FieldError> errors;
    private final List<String> warnings = new ArrayList<>();

    /**
     * @param schemas     the described tables by the name the request used
     * @param tableErrors why a named table could not be described (unknown, no single-column key, …)
     * @param errors      where field errors go
     */
    RelationRules(Map<String, TableSchema> schemas, Map<String, String> tableErrors, List<FieldError> errors) {
        this.schemas = schemas;
        this.tableErrors = tableErrors;
        this.errors = errors;
    }

    /** Every table a request names under {@code related}, at every level. */
    static Set<String> tables(List<RelationRequest> requests) {
        Set<String> tables = new java.util.LinkedHashSet<>();
        addTables(requests, tables, 1);
        return tables;
    }

    private static void addTables(List<RelationRequest> requests, Set<String> tables, int level) {
        if (requests == null || level > MAX_LEVELS + 1) {
            return;
        }
        for (RelationRequest r : requests) {
            if (r != null && r.table() != null && !r.table().isBlank()) {
                tables.add(r.table());
                addTables(r.related(), tables, level + 1);
            }
        }
    }

    List<String> warnings() {
        return warnings;
    }

    /** The relations of the configuration's table, or of a relation at {@code prefix} ("" at the top). */
    List<Relation> check(List<RelationRequest> requests, TableSchema parent, String prefix, int level, Set<String> ancestors) {
        List<Relation> relations = new ArrayList<>();
        if (requests == null || requests.isEmpty()) {
            return relations;
        }
        if (requests.size() > MAX_RELATIONS) {
            errors.add(new FieldError(prefix + "related", "must list at most " + MAX_RELATIONS + " relations"));
            return relations;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < requests.size(); i++) {
            String path = prefix + "related[" + i + "]";
            RelationRequest r = requests.get(i);
            if (r == null) {
                errors.add(new FieldError(path, "must be a relation, not null"));
                continue;
            }
            if (level > MAX_LEVELS) {
                errors.add(new FieldError(path, "is nested too deep: relations go at most " + MAX_LEVELS + " levels deep"));
                continue;
            }
            checkName(r, path, parent, names);
            Relation relation = relation(r, path, parent, level, ancestors);
            if (relation != null) {
                relations.add(relation);
            }
        }
        return relations;
    }

    private void checkName(RelationRequest r, String path, TableSchema parent, Set<String> names) {
        String name = r.name();
        if (name == null || name.isBlank()) {
            errors.add(new FieldError(path + ".name", "is required"));
        } else if (!NAME.matcher(name).matches()) {
            errors.add(new FieldError(path + ".name", "'" + shorten(name) + "' must be a name templates can use: letters, digits "
                    + "and _, not starting with a digit, at most 64 characters"));
        } else if (name.equals("cdc")) {
            errors.add(new FieldError(path + ".name", "'cdc' is reserved for the template's cdc.* variables"));
        } else if (!names.add(name)) {
            errors.add(new FieldError(path + ".name", "'" + name + "' is used by another relation at this level"));
        } else if (parent != null && parent.column(name).isPresent()) {
            errors.add(new FieldError(path + ".name", "'" + name + "' is a column of table " + parent.table()
                    + "; a relation needs a name of its own"));
        }
    }

    private Relation relation(RelationRequest r, String path, TableSchema parent, int level, Set<String> ancestors) {
        TableSchema related = table(r, path, ancestors);
        Map<String, String> join = join(r, path, parent, related);
        List<String> fields = fields(r, path, related);
        if (related == null || join == null || parent == null) {
            return null;
        }
        boolean toMany = !related.uniqueOn(join.values());
        String joined = String.join(", ", join.values());
        if (toMany) {
            if (level > 1) {
                errors.add(new FieldError(path + ".join", "makes a to-many relation ((" + joined + ") is neither the primary key "
                        + "nor a unique key of " + related.table() + "); below the first level only to-one relations are allowed"));
            }
            if (r.limit() == null) {
                errors.add(new FieldError(path + ".limit", "is required: (" + joined + ") is neither the primary key nor a unique key "
                        + "of " + related.table() + ", so many rows can join; say how many to render, 1-" + MAX_LIMIT));
            } else if (r.limit() < 1 || r.limit() > MAX_LIMIT) {
                errors.add(new FieldError(path + ".limit", "must be from 1 to " + MAX_LIMIT));
            }
            checkOrderBy(r, path, related);
        } else {
            if (r.limit() != null) {
                errors.add(new FieldError(path + ".limit", "applies only to to-many relations: (" + joined + ") is a key of "
                        + related.table() + ", so at most one row joins"));
            }
            if (r.orderBy() != null) {
                errors.add(new FieldError(path + ".orderBy", "applies only to to-many relations: (" + joined + ") is a key of "
                        + related.table() + ", so at most one row joins"));
            }
        }
        warnIfUnindexed(path, parent, related, join);
        Set<String> below = new HashSet<>(ancestors);
        below.add(related.table());
        List<Relation> nested = check(r.related(), related, path + ".", level + 1, below);
        String orderBy = r.orderBy() == null ? null : r.orderBy().strip();
        return new Relation(r.name(), related.table(), join, fields, orderBy, toMany ? r.limit() : null, nested);
    }

    private TableSchema table(RelationRequest r, String path, Set<String> ancestors) {
        if (r.table() == null || r.table().isBlank()) {
            errors.add(new FieldError(path + ".table", "is required"));
            return null;
        }
        if (tableErrors.containsKey(r.table())) {
            errors.add(new FieldError(path + ".table", tableErrors.get(r.table())));
            return null;
        }
        TableSchema schema = schemas.get(r.table());
        if (schema != null && ancestors.contains(schema.table())) {
            errors.add(new FieldError(path + ".table", "makes a cycle: table " + schema.table()
                    + " is already the configuration's table or a relation this one is nested in"));
            return null;
        }
        return schema;
    }

    private Map<String, String> join(RelationRequest r, String path, TableSchema parent, TableSchema related) {
        if (r.join() == null || r.join().isEmpty()) {
            errors.add(new FieldError(path + ".join", "is required: map at least one column of "
                    + (parent == null ? "the parent table" : parent.table()) + " to a column of " + shorten(String.valueOf(r.table()))));
            return null;
        }
        boolean valid = true;
        for (Map.Entry<String, String> e : r.join().entrySet()) {
            ColumnInfo left = parent == null ? null : parent.column(e.getKey()).orElse(null);
            ColumnInfo right = related == null || e.getValue() == null ? null : related.column(e.getValue()).orElse(null);
            if (parent != null && left == null) {
                errors.add(new FieldError(path + ".join", "'" + shorten(e.getKey()) + "' is not a column of table " + parent.table()));
                valid = false;
            }
            if (related != null && right == null) {
                errors.add(new FieldError(path + ".join", "'" + shorten(String.valueOf(e.getValue())) + "' is not a column of table "
                        + related.table()));
                valid = false;
            }
            if (left != null && right != null && !compatible(left, right)) {
                errors.add(new FieldError(path + ".join", parent.table() + "." + left.name() + " (" + left.columnType() + ") and "
                        + related.table() + "." + right.name() + " (" + right.columnType() + ") cannot be joined: their types differ"));
                valid = false;
            }
        }
        return valid ? new LinkedHashMap<>(r.join()) : null;
    }

    private List<String> fields(RelationRequest r, String path, TableSchema related) {
        List<String> fields = r.fields() == null ? List.of() : r.fields();
        if (fields.size() > MAX_FIELDS) {
            errors.add(new FieldError(path + ".fields", "must list at most " + MAX_FIELDS + " columns"));
            return List.of();
        }
        Set<String> seen = new HashSet<>();
        for (int k = 0; k < fields.size(); k++) {
            String f = fields.get(k);
            if (f == null || f.isEmpty()) {
                errors.add(new FieldError(path + ".fields[" + k + "]", "must be a column name"));
            } else if (!seen.add(f)) {
                errors.add(new FieldError(path + ".fields[" + k + "]", "'" + shorten(f) + "' is listed twice"));
            } else if (related != null && related.column(f).isEmpty()) {
                errors.add(new FieldError(path + ".fields[" + k + "]", "'" + shorten(f) + "' is not a column of table " + related.table()));
            }
        }
        return List.copyOf(fields);
    }

    private void checkOrderBy(RelationRequest r, String path, TableSchema related) {
        if (r.orderBy() == null) {
            return;
        }
        Matcher m = ORDER_BY.matcher(r.orderBy());
        if (!m.matches()) {
            errors.add(new FieldError(path + ".orderBy", "must be one column and ASC or DESC, e.g. \"recorded_at DESC\""));
        } else if (related.column(m.group(1)).isEmpty()) {
            errors.add(new FieldError(path + ".orderBy", "'" + shorten(m.group(1)) + "' is not a column of table " + related.table()));
        }
    }

    private void warnIfUnindexed(String path, TableSchema parent, TableSchema related, Map<String, String> join) {
        if (!related.indexedOn(join.values())) {
            warnings.add(path + ".join: table " + related.table() + " has no index starting with (" + String.join(", ", join.values())
                    + "): reading the related rows of each document scans the table");
        }
        if (!parent.indexedOn(join.keySet())) {
            warnings.add(path + ".join: table " + parent.table() + " has no index starting with (" + String.join(", ", join.keySet())
                    + "): finding the documents a change of " + related.table() + " affects scans the table");
        }
    }

    /** What a template may name under each relation, for the template check. */
    static Map<String, RowRenderer.TemplateRelation> templateNames(List<Relation> relations, Map<String, TableSchema> byTable) {
        Map<String, RowRenderer.TemplateRelation> names = new LinkedHashMap<>();
        for (Relation r : relations) {
            TableSchema schema = byTable.get(r.table());
            List<String> fields = !r.fields().isEmpty() || schema == null ? r.fields() : schema.columnNames();
            names.put(r.name(), new RowRenderer.TemplateRelation(r.toMany(), fields, templateNames(r.related(), byTable)));
        }
        return names;
    }

    /** Join columns must compare as the same kind of value, or the join finds nothing (or everything) and uses no index. */
    static boolean compatible(ColumnInfo a, ColumnInfo b) {
        String fa = family(a);
        return fa != null && fa.equals(family(b));
    }

    private static String family(ColumnInfo c) {
        String type = c.dataType().toLowerCase(Locale.ROOT);
        if (c.isText()) {
            return "text";
        }
        if (c.isBinary()) {
            return "binary";
        }
        return switch (type) {
            case "tinyint", "smallint", "mediumint", "int", "integer", "bigint", "decimal", "numeric" -> "number";
            case "float", "double", "real" -> "approximate";
            case "date" -> "date";
            case "datetime", "timestamp" -> "datetime";
            case "time" -> "time";
            case "year" -> "year";
            case "bit" -> "bit";
            // JSON and spatial values do not compare as keys
            default -> null;
        };
    }

    private static String shorten(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
