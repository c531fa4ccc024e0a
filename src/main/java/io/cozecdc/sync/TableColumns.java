package io.cozecdc.sync;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

import io.cozecdc.capture.SchemaRepository;
import io.cozecdc.sync.render.ColumnFormat;

/**
 * The columns of a synced table in table order with their types, for {@link RowRenderer}: lines follow
 * the table's order (never the JSON key order, which MySQL sorts) and values are formatted by type
 * ({@link ColumnFormat}). Read from information_schema and kept for {@link #MAX_AGE}, so a column added
 * or retyped shows up within that time.
 */
@ApplicationScoped
public class TableColumns {

    static final Duration MAX_AGE = Duration.ofSeconds(30);

    private final SchemaRepository schema;
    private final Clock clock;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();

    public TableColumns(SchemaRepository schema, Clock clock) {
        this.schema = schema;
        this.clock = clock;
    }

    /** The table's columns in ordinal order; empty when the table is gone (lines then follow the JSON). */
    public Uni<List<ColumnFormat>> of(String table) {
        Instant now = clock.instant();
        Entry known = cache.get(table);
        if (known != null && known.readAt().plus(MAX_AGE).isAfter(now)) {
            return Uni.createFrom().item(known.columns());
        }
        return schema.columns(table)
                .map(columns -> columns.stream().map(ColumnFormat::of).toList())
                .invoke(columns -> cache.put(table, new Entry(columns, now)));
    }

    /** The columns of each table, by table name (the related tables of a configuration, say). */
    public Uni<Map<String, List<ColumnFormat>>> of(Collection<String> tables) {
        Map<String, List<ColumnFormat>> found = new LinkedHashMap<>();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (String table : tables) {
            chain = chain.chain(() -> of(table).invoke(columns -> found.put(table, columns)).replaceWithVoid());
        }
        return chain.map(x -> found);
    }

    private record Entry(List<ColumnFormat> columns, Instant readAt) {
    }
}
