package io.cozecdc.sync.related;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

import io.cozecdc.capture.SqlText;
import io.cozecdc.capture.TableDescriber;
import io.cozecdc.capture.TableSchema;
import io.cozecdc.capture.TriggerSqlGenerator;
import io.cozecdc.changelog.ChangeData;
import io.cozecdc.configs.Relation;
import io.cozecdc.configs.SyncConfig;

/**
 * Reads the row trees of a configuration with related tables (issue 16): each parent row as its capture
 * trigger's {@code JSON_OBJECT} would hold it, plus one member per relation: the related row (to-one, or
 * JSON null when none joins) or the list of related rows (to-many, in {@code orderBy} order then by primary
 * key, at most {@code limit}), each with its own nested relations the same way.
 *
 * <p>Every value is built in SQL by the triggers' own expressions ({@link TriggerSqlGenerator}), so a row
 * renders to the same text whether it came from the change log or from here. Reads are bounded: one
 * statement for the parent rows and one per relation for all keys of the call (at most {@link #KEYS_PER_STATEMENT}
 * keys in one {@code IN (...)}), never one per row. A relation's statement joins its parent table to the
 * related table on the join columns, so values never travel through Java to be compared.
 */
@ApplicationScoped
public class RelatedLoader {

    /** Keys in one statement's {@code IN (...)}; a longer list is read in several statements. */
    static final int KEYS_PER_STATEMENT = 500;
    /** How long a table's description is reused; a changed table is seen within this time. */
    static final Duration SCHEMA_MAX_AGE = Duration.ofSeconds(30);
    static final String LOCK = " LOCK IN SHARE MODE";

    private final TableDescriber describer;
    private final Clock clock;
    private final Map<String, Described> schemas = new ConcurrentHashMap<>();

    public RelatedLoader(TableDescriber describer, Clock clock) {
        this.describer = describer;
        this.clock = clock;
    }

    /**
     * Trees of the given parent keys; a key missing from the answer: the parent row is gone.
     *
     * @param client     where to read: a pool, or the connection of the caller's transaction
     * @param config     the configuration whose table and relations to read
     * @param recordKeys parent keys as the change log writes them
     * @param lock       true: every statement ends with {@code LOCK IN SHARE MODE} (the caller owns the
     *                   transaction); false: plain reads
     */
    public Uni<Loaded> load(SqlClient client, SyncConfig config, List<String> recordKeys, boolean lock) {
        List<String> keys = recordKeys.stream().distinct().toList();
        if (keys.isEmpty()) {
            return Uni.createFrom().item(new Loaded(Map.of(), Map.of()));
        }
        return schemas(config.tables()).chain(described -> {
            TableSchema parent = described.get(config.tableName());
            Map<String, ObjectNode> trees = new LinkedHashMap<>();
            Map<String, Set<RowRef>> reads = new LinkedHashMap<>();
            return inChunks(client, keys, chunk -> parentSql(parent, chunk.size(), lock), rows -> {
                for (Row row : rows) {
                    trees.put(row.getString(0), json(row.getValue(1)));
                }
            }).chain(() -> {
                List<Holder> level = new ArrayList<>();
                trees.forEach((key, node) -> {
                    reads.put(key, new LinkedHashSet<>());
                    level.add(new Holder(key, key, node));
                });
                return attach(client, described, parent, config.related(), level, lock, reads);
            }).map(x -> new Loaded(Collections.unmodifiableMap(trees), Collections.unmodifiableMap(reads)));
        });
    }

    /** Forgets the cached description of every table (after a schema change, say). */
    public void forgetSchemas() {
        schemas.clear();
    }

    private Uni<Void> attach(SqlClient client, Map<String, TableSchema> described, TableSchema parent, List<Relation> relations,
            List<Holder> holders, boolean lock, Map<String, Set<RowRef>> reads) {
        if (relations.isEmpty() || holders.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Relation relation : relations) {
            chain = chain.chain(() -> attachOne(client, described, parent, relation, holders, lock, reads));
        }
        return chain;
    }

    private Uni<Void> attachOne(SqlClient client, Map<String, TableSchema> described, TableSchema parent, Relation relation,
            List<Holder> holders, boolean lock, Map<String, Set<RowRef>> reads) {
        TableSchema related = described.get(relation.table());
        List<String> parentKeys = holders.stream().map(Holder::rowKey).distinct().toList();
        Map<String, List<Fetched>> byParent = new LinkedHashMap<>();
        return inChunks(client, parentKeys, chunk -> relationSql(parent, related, relation, chunk.size(), lock), rows -> {
            for (Row row : rows) {
                byParent.computeIfAbsent(row.getString(0), k -> new ArrayList<>())
                        .add(new Fetched(row.getString(1), json(row.getValue(2))));
            }
        }).chain(() -> {
            List<Holder> children = new ArrayList<>();
            for (Holder holder : holders) {
                List<Fetched> found = byParent.getOrDefault(holder.rowKey(), List.of());
                if (relation.toMany()) {
                    ArrayNode list = holder.node().putArray(relation.name());
                    found.stream().limit(relation.limit()).forEach(f -> {
                        ObjectNode copy = f.node().deepCopy();
                        list.add(copy);
                        children.add(new Holder(holder.rootKey(), f.key(), copy));
                        reads.get(holder.rootKey()).add(new RowRef(related.table(), f.key()));
                    });
                } else if (found.isEmpty()) {
                    holder.node().set(relation.name(), NullNode.getInstance());
                } else {
                    Fetched f = found.get(0);
                    ObjectNode copy = f.node().deepCopy();
                    holder.node().set(relation.name(), copy);
                    children.add(new Holder(holder.rootKey(), f.key(), copy));
                    reads.get(holder.rootKey()).add(new RowRef(related.table(), f.key()));
                }
            }
            return attach(client, described, related, relation.related(), children, lock, reads);
        });
    }

    /** The parent rows: key as text and the trigger's JSON. */
    static String parentSql(TableSchema parent, int keys, boolean lock) {
        return "SELECT " + TriggerSqlGenerator.keyExpression(parent, "p") + " AS parent_key, "
                + TriggerSqlGenerator.rowJsonExpression(parent, "p") + " AS row_data FROM " + SqlText.identifier(parent.table())
                + " p WHERE " + keyIn(parent, "p", keys) + (lock ? LOCK : "");
    }

    /**
     * The related rows of a relation for parent keys: parent key, related key and the related row's JSON.
     * A to-many relation keeps at most {@code limit} rows per parent (window function, which MariaDB
     * 10.2+ and MySQL 8 both have), ordered by {@code orderBy} and then the related key.
     */
    static String relationSql(TableSchema parent, TableSchema related, Relation relation, int keys, boolean lock) {
        String on = relation.join().entrySet().stream()
                .map(e -> "r." + SqlText.identifier(e.getValue()) + " = p." + SqlText.identifier(e.getKey()))
                .collect(Collectors.joining(" AND "));
        String columns = TriggerSqlGenerator.keyExpression(parent, "p") + " AS parent_key, "
                + TriggerSqlGenerator.keyExpression(related, "r") + " AS row_key, "
                + TriggerSqlGenerator.rowJsonExpression(related, "r") + " AS row_data";
        String from = " FROM " + SqlText.identifier(parent.table()) + " p JOIN " + SqlText.identifier(related.table())
                + " r ON " + on + " WHERE " + keyIn(parent, "p", keys);
        String lockClause = lock ? LOCK : "";
        if (!relation.toMany()) {
            return "SELECT " + columns + from + lockClause;
        }
        String order = orderBy(relation) + "r." + SqlText.identifier(related.key().name());
        return "SELECT x.parent_key, x.row_key, x.row_data FROM (SELECT " + columns
                + ", ROW_NUMBER() OVER (PARTITION BY p." + SqlText.identifier(parent.key().name()) + " ORDER BY " + order
                + ") AS rn" + from + lockClause + ") x WHERE x.rn <= " + relation.limit()
                + " ORDER BY x.parent_key, x.rn" + lockClause;
    }

    private static String orderBy(Relation relation) {
        if (relation.orderBy() == null || relation.orderBy().isBlank()) {
            return "";
        }
        String[] parts = relation.orderBy().trim().split("\\s+");
        String direction = parts.length > 1 && parts[1].equalsIgnoreCase("DESC") ? " DESC" : " ASC";
        return "r." + SqlText.identifier(parts[0]) + direction + ", ";
    }

    private static String keyIn(TableSchema schema, String alias, int keys) {
        String parameter = TriggerSqlGenerator.keyParameter(schema);
        return alias + "." + SqlText.identifier(schema.key().name()) + " IN ("
                + String.join(", ", Collections.nCopies(keys, parameter)) + ")";
    }

    private static Uni<Void> inChunks(SqlClient client, List<String> keys, java.util.function.Function<List<String>, String> sql,
            java.util.function.Consumer<RowSet<Row>> sink) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (int from = 0; from < keys.size(); from += KEYS_PER_STATEMENT) {
            List<String> chunk = keys.subList(from, Math.min(keys.size(), from + KEYS_PER_STATEMENT));
            chain = chain.chain(() -> client.preparedQuery(sql.apply(chunk)).execute(Tuple.from(new ArrayList<Object>(chunk)))
                    .invoke(sink)
                    .replaceWithVoid());
        }
        return chain;
    }

    private Uni<Map<String, TableSchema>> schemas(Collection<String> tables) {
        Instant now = clock.instant();
        Map<String, TableSchema> found = new ConcurrentHashMap<>();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (String table : tables) {
            Described known = schemas.get(table);
            if (known != null && known.readAt().plus(SCHEMA_MAX_AGE).isAfter(now)) {
                found.put(table, known.schema());
                continue;
            }
            chain = chain.chain(() -> describer.describe(table)
                    .invoke(s -> {
                        schemas.put(table, new Described(s, now));
                        found.put(table, s);
                    })
                    .replaceWithVoid());
        }
        return chain.map(x -> found);
    }

    /** JSON_OBJECT arrives as JSON (MySQL) or as text (MariaDB), as change_data does. */
    private static ObjectNode json(Object value) {
        if (value == null) {
            return JsonNodeFactory.instance.objectNode();
        }
        String text = value instanceof JsonObject o ? o.encode()
                : value instanceof Buffer b ? b.toString(StandardCharsets.UTF_8)
                : String.valueOf(value);
        return ChangeData.parse(text);
    }

    /**
     * The trees read, and which related rows each tree holds.
     *
     * @param trees parent key → its row tree; a key asked for but missing here: the parent row is gone
     * @param reads parent key → every related row put into its tree, at every level
     */
    public record Loaded(Map<String, ObjectNode> trees, Map<String, Set<RowRef>> reads) {
    }

    /** A related row: its table and its key as text (as the change log writes keys). */
    public record RowRef(String table, String key) {
    }

    private record Holder(String rootKey, String rowKey, ObjectNode node) {
    }

    private record Fetched(String key, ObjectNode node) {
    }

    private record Described(TableSchema schema, Instant readAt) {
    }
}
