package io.cozecdc.configs;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A table whose rows are rendered into the documents of a configuration's rows (issue 16): a product's
 * supplier, an inventory record's product. Nested relations hang off this one's rows.
 *
 * <p>Invariants that validation guarantees before a relation is saved: {@code name} is unique among its
 * siblings; {@code join} maps at least one column of the parent row (the configuration's table, or the
 * relation this one is nested in) to a column of {@code table}, in order; {@code limit} is non-null
 * exactly when the relation is to-many (the right-hand columns are neither the primary key nor a unique
 * key of {@code table}), and then lies in 1..50; nested relations are to-one and at most three levels deep.
 *
 * @param name    the name templates and the default text use for it ({@code supplier.name})
 * @param table   the related table, as the database spells it
 * @param join    parent column → column of {@code table}, in declaration order
 * @param fields  columns of {@code table} to render, in order; empty means every column
 * @param orderBy for a to-many relation, one column and a direction ({@code "recorded_at DESC"}); null for none
 * @param limit   for a to-many relation, how many rows at most; null for a to-one relation
 * @param related relations nested in this one
 */
public record Relation(String name, String table, Map<String, String> join, List<String> fields, String orderBy,
        Integer limit, List<Relation> related) {

    public Relation {
        join = join == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(join));
        fields = fields == null ? List.of() : List.copyOf(fields);
        related = related == null ? List.of() : List.copyOf(related);
    }

    /** Every table these relations name, at every level, in declaration order, once each. */
    public static Set<String> tables(List<Relation> relations) {
        Set<String> tables = new LinkedHashSet<>();
        addTables(relations, tables);
        return tables;
    }

    private static void addTables(List<Relation> relations, Set<String> tables) {
        for (Relation r : relations) {
            tables.add(r.table());
            addTables(r.related(), tables);
        }
    }

    /** True for a to-many relation (rendered as a list of rows), false for a to-one (zero or one row). */
    public boolean toMany() {
        return limit != null;
    }
}
