package io.cozecdc.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;

import io.cozecdc.changelog.Change;
import io.cozecdc.changelog.Operation;
import io.cozecdc.configs.SyncConfig;
import io.cozecdc.configs.SyncConfigRepository;
import io.cozecdc.sync.TableColumns;
import io.cozecdc.sync.related.RelatedLoader;
import io.cozecdc.sync.render.RowRenderer;
import io.cozecdc.testing.PipelineSupport;

/** The demo's two configurations render joined documents (issue 16): products with their supplier, stock movements with product and supplier. */
@QuarkusTest
class DemoRelatedTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    PipelineSupport support;
    @Inject
    DemoSeeder seeder;
    @Inject
    SyncConfigRepository configs;
    @Inject
    RelatedLoader loader;
    @Inject
    RowRenderer renderer;
    @Inject
    TableColumns columns;
    @Inject
    Pool pool;

    @BeforeEach
    void setUp() {
        support.reset();
        seeder.seed().await().atMost(WAIT);
    }

    @Test
    void demoProductsShowTheSuppliersNameAndCity() {
        SyncConfig products = configs.findByName("demo-products").await().atMost(WAIT);
        String screwdriver = key("SELECT id FROM products WHERE sku = 'HW-001'");
        assertThat(render(products, screwdriver)).isEqualTo("id: " + screwdriver + "\nsku: HW-001\nname: 十字螺丝刀 Phillips screwdriver\n"
                + "category: 工具\ndescription: 铬钒钢刀杆，磁性刀头\nunit: 把\nunit_price: 18.50\nstock_quantity: 240\n"
                + "supplier.name: 华东五金有限公司\nsupplier.city: 杭州\n");
        String paper = key("SELECT id FROM products WHERE sku = 'OF-001'");
        assertThat(render(products, paper)).endsWith("supplier.name: Bright Office Supplies\nsupplier.city: 上海\n");
    }

    @Test
    void demoInventoryShowsTheProductsNameAndSkuAndTheSuppliersName() {
        SyncConfig records = configs.findByName("demo-inventory").await().atMost(WAIT);
        assertThat(records.related()).singleElement().satisfies(r -> assertThat(r.related()).hasSize(1));
        String out = key("SELECT r.id FROM inventory_records r JOIN products p ON p.id = r.product_id WHERE p.sku = 'HW-003'");
        String recordedAt = support.db().scalar("SELECT DATE_FORMAT(recorded_at, '%Y-%m-%d %H:%i:%s.%f') FROM inventory_records"
                + " WHERE id = ?", out).toString();
        assertThat(render(records, out)).isEqualTo("id: " + out + "\nwarehouse: 杭州一号仓\nchange_type: OUT\nquantity: 3\n"
                + "recorded_at: " + recordedAt.substring(0, recordedAt.length() - 3) + "\nnote: 门店调拨\n"
                + "product.name: 电钻 Cordless drill 12V\nproduct.sku: HW-003\nproduct.supplier.name: 华东五金有限公司\n");
    }

    private String key(String sql) {
        return support.db().scalar(sql).toString();
    }

    private String render(SyncConfig config, String key) {
        var loaded = loader.load(pool, config, List.of(key), false).await().atMost(WAIT);
        var own = columns.of(config.tableName()).await().atMost(WAIT);
        Map<String, List<io.cozecdc.sync.render.ColumnFormat>> related = columns.of(config.tables()).await().atMost(WAIT);
        Change change = new Change(1, config.tableName(), key, Operation.SNAPSHOT, loaded.trees().get(key), Instant.EPOCH, null);
        return renderer.render(config, change, own, related).text();
    }
}
