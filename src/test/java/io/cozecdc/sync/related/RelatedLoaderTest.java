package io.cozecdc.sync.related;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;

import io.cozecdc.capture.TableDescriber;
import io.cozecdc.changelog.Change;
import io.cozecdc.changelog.ChangeData;
import io.cozecdc.changelog.Operation;
import io.cozecdc.common.Sql;
import io.cozecdc.configs.ConfigStatus;
import io.cozecdc.configs.Relation;
import io.cozecdc.configs.SyncConfig;
import io.cozecdc.sync.TableColumns;
import io.cozecdc.sync.related.RelatedLoader.Loaded;
import io.cozecdc.sync.related.RelatedLoader.RowRef;
import io.cozecdc.sync.render.RowRenderer;
import io.cozecdc.testing.PipelineSupport;

/**
 * Row trees from the real database (issue 16): to-one, to-many with order and limit, a nested to-one chain,
 * values shaped exactly as the capture triggers write them, and their rendering.
 */
@QuarkusTest
class RelatedLoaderTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    PipelineSupport support;
    @Inject
    RelatedLoader loader;
    @Inject
    RowRenderer renderer;
    @Inject
    TableColumns columns;
    @Inject
    Pool pool;
    @Inject
    AgroalDataSource dataSource;
    @Inject
    TableDescriber describer;

    String east;
    String north;
    String wrench;
    String hammer;
    String drill;

    @BeforeEach
    void setUp() {
        support.reset();
        east = supplier("华东五金", "上海", "021-5555");
        north = supplier("北方工具", "北京", null);
        wrench = product("W-1", "扳手", "30.00", east);
        hammer = product("H-1", "锤子", "25.10", null);
        drill = product("D-1", "电钻", "399.00", north);
    }

    @Test
    void aToOneRelationHoldsTheJoinedRowAsTheTriggerCapturedItOrNull() {
        SyncConfig config = config(List.of("sku", "name"), null,
                new Relation("supplier", "suppliers", Map.of("supplier_id", "id"), List.of("name", "city"), null, null, null));

        Loaded loaded = load(config, List.of(wrench, hammer, drill, "no-such-product"), false);

        assertThat(loaded.trees()).containsOnlyKeys(wrench, hammer, drill);
        ObjectNode tree = loaded.trees().get(wrench);
        ObjectNode own = tree.deepCopy();
        own.remove("supplier");
        assertThat(own).as("the parent row as its insert trigger wrote it").isEqualTo(captured("products", wrench));
        assertThat(tree.get("supplier")).as("the supplier as its insert trigger wrote it").isEqualTo(captured("suppliers", east));
        assertThat(loaded.trees().get(hammer).get("supplier").isNull()).isTrue();
        assertThat(loaded.reads().get(wrench)).containsExactly(new RowRef("suppliers", east));
        assertThat(loaded.reads().get(hammer)).isEmpty();

        assertThat(render(config, wrench, loaded)).isEqualTo("sku: W-1\nname: 扳手\nsupplier.name: 华东五金\nsupplier.city: 上海\n");
        assertThat(render(config, hammer, loaded)).as("no supplier: nothing for it").isEqualTo("sku: H-1\nname: 锤子\n");
    }

    @Test
    void aToManyRelationKeepsTheNewestRowsInOrderUpToTheLimit() {
        Instant t0 = Instant.parse("2026-12-01T08:00:00.125Z");
        for (int i = 0; i < 7; i++) {
            record(wrench, "仓" + i, i + 1, t0.plusSeconds(3600L * i));
        }
        record(drill, "北京仓", 9, t0);
        SyncConfig config = config(List.of("name"), null,
                new Relation("movements", "inventory_records", Map.of("id", "product_id"),
                        List.of("warehouse", "quantity", "recorded_at"), "recorded_at DESC", 5, null));

        Loaded loaded = load(config, List.of(wrench, drill, hammer), false);

        assertThat(loaded.trees().get(wrench).get("movements")).hasSize(5);
        assertThat(loaded.trees().get(wrench).get("movements").findValuesAsText("warehouse"))
                .containsExactly("仓6", "仓5", "仓4", "仓3", "仓2");
        assertThat(loaded.trees().get(hammer).get("movements")).isEmpty();
        assertThat(loaded.reads().get(wrench)).hasSize(5);
        assertThat(render(config, drill, loaded)).isEqualTo("name: 电钻\nmovements:\n- warehouse: 北京仓\n  quantity: 9\n"
                + "  recorded_at: 2026-12-01 08:00:00.125\n");
        assertThat(render(config, wrench, loaded)).startsWith("name: 扳手\nmovements:\n- warehouse: 仓6\n  quantity: 7\n"
                + "  recorded_at: 2026-12-01 14:00:00.125\n- warehouse: 仓5\n");
        assertThat(render(config, hammer, loaded)).isEqualTo("name: 锤子\n");

        SyncConfig ascending = config(List.of("name"), null,
                new Relation("movements", "inventory_records", Map.of("id", "product_id"), List.of("warehouse"), "recorded_at ASC", 2, null));
        assertThat(load(ascending, List.of(wrench), false).trees().get(wrench).get("movements").findValuesAsText("warehouse"))
                .containsExactly("仓0", "仓1");
    }

    @Test
    void aNestedToOneChainRendersTheProductAndItsSupplier() {
        String record = record(wrench, "上海一号仓", 5, Instant.parse("2026-12-05T02:03:00Z"));
        String orphan = record(hammer, "北京仓", 1, Instant.parse("2026-12-05T02:04:00Z"));
        Relation supplier = new Relation("supplier", "suppliers", Map.of("supplier_id", "id"), List.of("name"), null, null, null);
        Relation product = new Relation("product", "products", Map.of("product_id", "id"),
                List.of("name", "sku"), null, null, List.of(supplier));
        SyncConfig config = new SyncConfig(9, "records", "inventory_records", 7, List.of("warehouse", "quantity"), null, true,
                ConfigStatus.ACTIVE, null, Instant.EPOCH, Instant.EPOCH, List.of(product));

        Loaded loaded = load(config, List.of(record, orphan), true);

        assertThat(loaded.reads().get(record)).containsExactly(new RowRef("products", wrench), new RowRef("suppliers", east));
        assertThat(render(config, record, loaded)).isEqualTo("warehouse: 上海一号仓\nquantity: 5\nproduct.name: 扳手\nproduct.sku: W-1\n"
                + "product.supplier.name: 华东五金\n");
        assertThat(render(config, orphan, loaded)).as("the product has no supplier")
                .isEqualTo("warehouse: 北京仓\nquantity: 1\nproduct.name: 锤子\nproduct.sku: H-1\n");

        SyncConfig templated = new SyncConfig(9, "records", "inventory_records", 7, List.of("warehouse", "quantity"),
                "{product.name}（{product.sku}）在{warehouse}：{quantity}件，供应商{#if product.supplier}{product.supplier.name}{#else}未知{/if}，"
                        + "库存截至 {cdc.capturedAt}",
                true, ConfigStatus.ACTIVE, null, Instant.EPOCH, Instant.EPOCH, List.of(product));
        Instant captured = Instant.parse("2026-12-05T10:03:41Z");
        assertThat(render(templated, record, loaded, captured)).isEqualTo("扳手（W-1）在上海一号仓：5件，供应商华东五金，库存截至 2026-12-05 10:03");
        assertThat(render(templated, orphan, loaded, captured)).isEqualTo("锤子（H-1）在北京仓：1件，供应商未知，库存截至 2026-12-05 10:03");
    }

    @Test
    void templatesSeeToManyRowsAsAList() {
        record(wrench, "A仓", 1, Instant.parse("2026-12-01T00:00:00Z"));
        record(wrench, "B仓", 2, Instant.parse("2026-12-02T00:00:00Z"));
        SyncConfig config = config(List.of("name"), "{name}:{#for m in movements} {m.warehouse}×{m.quantity}{/for}",
                new Relation("supplier", "suppliers", Map.of("supplier_id", "id"), List.of("name"), null, null, null),
                new Relation("movements", "inventory_records", Map.of("id", "product_id"), List.of(), "recorded_at DESC", 3, null));
        Loaded loaded = load(config, List.of(wrench), false);
        assertThat(render(config, wrench, loaded)).isEqualTo("扳手: B仓×2 A仓×1");
    }

    @Test
    void withTheLockEveryStatementIsALockingRead() {
        Relation movements = new Relation("movements", "inventory_records", Map.of("id", "product_id"), List.of(), "recorded_at DESC", 5, null);
        Relation supplier = new Relation("supplier", "suppliers", Map.of("supplier_id", "id"), List.of(), null, null, null);
        SyncConfig config = config(List.of(), null, supplier, movements);
        record(wrench, "A仓", 1, Instant.parse("2026-12-01T00:00:00Z"));
        Loaded locked = load(config, List.of(wrench, drill), true);
        Loaded plain = load(config, List.of(wrench, drill), false);
        assertThat(locked.trees()).isEqualTo(plain.trees());
        assertThat(locked.trees().get(wrench).get("movements")).hasSize(1);
    }

    @Test
    void aLockedLoadWaitsForAnOpenWriteOfARelatedRowAndReadsItsCommittedValue() throws Exception {
        SyncConfig config = config(List.of("name"), null,
                new Relation("supplier", "suppliers", Map.of("supplier_id", "id"), List.of("name"), null, null, null));
        try (Connection writer = dataSource.getConnection()) {
            writer.setAutoCommit(false);
            try (PreparedStatement update = writer.prepareStatement("UPDATE suppliers SET name = ? WHERE id = ?")) {
                update.setString(1, "华东五金（新）");
                update.setString(2, east);
                update.executeUpdate();
            }
            assertThat(load(config, List.of(wrench), false).trees().get(wrench).at("/supplier/name").asText())
                    .as("a plain read does not wait: the last committed name").isEqualTo("华东五金");
            CompletableFuture<Loaded> locked = Sql.transaction(pool, conn -> loader.load(conn, config, List.of(wrench), true))
                    .subscribeAsCompletionStage();
            Thread.sleep(700);
            assertThat(locked).as("the locking read waits for the writer").isNotDone();
            writer.commit();
            assertThat(locked.get(30, TimeUnit.SECONDS).trees().get(wrench).at("/supplier/name").asText()).isEqualTo("华东五金（新）");
        }
    }

    @Test
    void everyStatementOfALockedLoadEndsWithTheShareLock() {
        var products = describer.describe("products").await().atMost(WAIT);
        var records = describer.describe("inventory_records").await().atMost(WAIT);
        Relation movements = new Relation("movements", "inventory_records", Map.of("id", "product_id"), List.of(), "recorded_at DESC", 5, null);
        Relation product = new Relation("product", "products", Map.of("product_id", "id"), List.of(), null, null, null);
        assertThat(RelatedLoader.parentSql(products, 3, true)).endsWith(" LOCK IN SHARE MODE").contains("IN (?, ?, ?)");
        assertThat(RelatedLoader.relationSql(products, records, movements, 2, true)).endsWith(" LOCK IN SHARE MODE");
        assertThat(RelatedLoader.relationSql(records, products, product, 2, true)).endsWith(" LOCK IN SHARE MODE");
        assertThat(RelatedLoader.relationSql(records, products, product, 2, false)).doesNotContain("LOCK");
    }

    private Loaded load(SyncConfig config, List<String> keys, boolean lock) {
        if (!lock) {
            return loader.load(pool, config, keys, false).await().atMost(WAIT);
        }
        return Sql.transaction(pool, conn -> loader.load(conn, config, keys, true)).await().atMost(WAIT);
    }

    private String render(SyncConfig config, String key, Loaded loaded) {
        return render(config, key, loaded, Instant.EPOCH);
    }

    private String render(SyncConfig config, String key, Loaded loaded, Instant capturedAt) {
        var own = columns.of(config.tableName()).await().atMost(WAIT);
        var related = columns.of(config.tables()).await().atMost(WAIT);
        Change change = new Change(1, config.tableName(), key, Operation.SNAPSHOT, loaded.trees().get(key), capturedAt, null);
        return renderer.render(config, change, own, related).text();
    }

    private ObjectNode captured(String table, String key) {
        Object data = support.db().scalar("SELECT change_data FROM data_change_logs WHERE table_name = ? AND record_uuid = ?"
                + " AND operation_type = 'INSERT'", table, key);
        return ChangeData.parse(data.toString());
    }

    private static SyncConfig config(List<String> fields, String template, Relation... related) {
        return new SyncConfig(8, "products-kb", "products", 7, fields, template, true, ConfigStatus.ACTIVE, null,
                Instant.EPOCH, Instant.EPOCH, List.of(related));
    }

    private String supplier(String name, String city, String phone) {
        String id = UUID.randomUUID().toString();
        support.db().update("INSERT INTO suppliers (id, name, city, phone, rating) VALUES (?, ?, ?, ?, ?)", id, name, city, phone,
                new BigDecimal("4.50"));
        return id;
    }

    private String product(String sku, String name, String price, String supplierId) {
        String id = UUID.randomUUID().toString();
        support.db().update("INSERT INTO products (id, sku, name, unit_price, supplier_id) VALUES (?, ?, ?, ?, ?)", id, sku, name,
                new BigDecimal(price), supplierId);
        return id;
    }

    private String record(String productId, String warehouse, int quantity, Instant at) {
        String id = UUID.randomUUID().toString();
        support.db().update("INSERT INTO inventory_records (id, product_id, warehouse, change_type, quantity, unit_cost, recorded_at)"
                + " VALUES (?, ?, ?, 'IN', ?, ?, ?)", id, productId, warehouse, quantity, new BigDecimal("1.50"),
                java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(java.time.ZoneOffset.UTC).format(at));
        return id;
    }
}
