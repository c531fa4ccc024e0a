package io.cozecdc.configs;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One way down a configuration's relations, from its table to a related table: {@code [product, supplier]}
 * for the supplier of an inventory record's product. A change of a row of {@link #table()} can change the
 * documents of the configuration's rows that join to it along this path.
 *
 * @param config    the configuration
 * @param relations the relations from the top level down; never empty
 */
public record RelationPath(SyncConfig config, List<Relation> relations) {

    public RelationPath {
        relations = List.copyOf(relations);
        if (relations.isEmpty()) {
            throw new IllegalArgumentException("a relation path names at least one relation");
        }
    }

    /** The relation that reaches the changed table. */
    public Relation last() {
        return relations.get(relations.size() - 1);
    }

    /** The related table this path reaches. */
    public String table() {
        return last().table();
    }

    /** The relation names joined with dots ({@code "product.supplier"}): the path's name in fanout_jobs. */
    public String name() {
        return relations.stream().map(Relation::name).collect(Collectors.joining("."));
    }

    /** Every path of a configuration, top level first (depth first, in declaration order). */
    public static List<RelationPath> of(SyncConfig config) {
        List<RelationPath> paths = new ArrayList<>();
        walk(config, List.of(), config.related(), paths);
        return paths;
    }

    /** The path of {@code config} named {@code name}, or null when the configuration no longer has it. */
    public static RelationPath named(SyncConfig config, String name) {
        return of(config).stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
    }

    private static void walk(SyncConfig config, List<Relation> above, List<Relation> level, List<RelationPath> paths) {
        for (Relation r : level) {
            List<Relation> path = new ArrayList<>(above);
            path.add(r);
            paths.add(new RelationPath(config, path));
            walk(config, path, r.related(), paths);
        }
    }
}
