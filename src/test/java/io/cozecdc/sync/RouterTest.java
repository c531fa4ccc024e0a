package io.cozecdc.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.cozecdc.changelog.Change;
import io.cozecdc.changelog.Operation;
import io.cozecdc.configs.ConfigStatus;
import io.cozecdc.configs.SyncConfig;

/** Routing to configs, coalescing per record, backfill targeting. */
class RouterTest {

    final SyncConfig a = config(1, "products");
    final SyncConfig b = config(2, "products");
    final SyncConfig s = config(3, "suppliers");
    final Map<String, List<SyncConfig>> byTable = Map.of("products", List.of(a, b), "suppliers", List.of(s));
    final Map<Long, SyncConfig> byId = Map.of(1L, a, 2L, b, 3L, s);

    @Test
    void groupsByConfigAndKeepsTheNewestChangePerRecord() {
        List<Change> batch = List.of(change(3, "products", "p1", null), change(1, "products", "p1", null),
                change(2, "products", "p2", null), change(4, "suppliers", "s1", null), change(5, "inventory_records", "i1", null));
        Router.Routing routing = Router.route(batch, t -> byTable.getOrDefault(t, List.of()), byId::get);
        assertThat(routing.batches()).extracting(bt -> bt.config().id()).containsExactly(1L, 2L, 3L);
        assertThat(routing.batches().get(0).changes()).extracting(Change::logId).containsExactlyInAnyOrder(3L, 2L);
        assertThat(routing.batches().get(1).changes()).extracting(Change::logId).containsExactlyInAnyOrder(3L, 2L);
        assertThat(routing.unrouted()).extracting(Change::logId).containsExactly(5L);
    }

    @Test
    void aBackfillRowGoesOnlyToItsTarget() {
        Router.Routing routing = Router.route(List.of(change(9, "products", "p1", 2L)),
                t -> byTable.getOrDefault(t, List.of()), byId::get);
        assertThat(routing.batches()).singleElement().satisfies(bt -> assertThat(bt.config().id()).isEqualTo(2L));
    }

    @Test
    void aBackfillRowForAGoneOrForeignConfigIsUnrouted() {
        Router.Routing gone = Router.route(List.of(change(9, "products", "p1", 99L)), t -> byTable.getOrDefault(t, List.of()), byId::get);
        assertThat(gone.unrouted()).hasSize(1);
        Router.Routing foreign = Router.route(List.of(change(9, "products", "p1", 3L)), t -> byTable.getOrDefault(t, List.of()), byId::get);
        assertThat(foreign.unrouted()).hasSize(1);
    }

    @Test
    void aChangeOfARelatedTableAsksForAFanOutPerPathWithItsNewestChangeAndIsNotUnrouted() {
        io.cozecdc.configs.Relation product = new io.cozecdc.configs.Relation("product", "products", Map.of("product_id", "id"),
                List.of(), null, null, List.of(new io.cozecdc.configs.Relation("supplier", "suppliers", Map.of("supplier_id", "id"),
                        List.of(), null, null, List.of())));
        SyncConfig inventory = new SyncConfig(4, "c4", "inventory_records", 7, List.of(), null, true, ConfigStatus.ACTIVE, null,
                Instant.EPOCH, Instant.EPOCH, List.of(product));
        Map<String, List<io.cozecdc.configs.RelationPath>> relating = Map.of(
                "products", List.of(io.cozecdc.configs.RelationPath.of(inventory).get(0)),
                "suppliers", List.of(io.cozecdc.configs.RelationPath.of(inventory).get(1)));
        List<Change> batch = List.of(change(1, "suppliers", "s1", null), change(2, "warehouses", "w1", null),
                change(3, "suppliers", "s1", null), change(4, "products", "p1", null), change(5, "suppliers", "s2", 3L));
        Router.Routing routing = Router.route(batch, t -> byTable.getOrDefault(t, List.of()), byId::get,
                t -> relating.getOrDefault(t, List.of()));

        assertThat(routing.fanouts()).extracting(f -> f.path().name() + "/" + f.change().recordKey() + "#" + f.change().logId())
                .containsExactly("product.supplier/s1#3", "product/p1#4");
        assertThat(routing.unrouted()).extracting(Change::logId).containsExactly(2L);
        // the suppliers config still gets its own table's changes; the SNAPSHOT row goes to its target only
        assertThat(routing.batches()).extracting(bt -> bt.config().id()).containsExactly(3L, 1L, 2L);
    }

    static Change change(long id, String table, String key, Long target) {
        return new Change(id, table, key, target == null ? Operation.UPDATE : Operation.SNAPSHOT, null, Instant.EPOCH, target);
    }

    static SyncConfig config(long id, String table) {
        return new SyncConfig(id, "c" + id, table, 7, List.of(), null, true, ConfigStatus.ACTIVE, null, Instant.EPOCH, Instant.EPOCH);
    }
}
