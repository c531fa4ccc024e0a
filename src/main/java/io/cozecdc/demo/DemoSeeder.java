package io.cozecdc.demo;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;

import io.cozecdc.configapi.RelationRequest;
import io.cozecdc.configapi.SyncConfigRequest;
import io.cozecdc.configapi.SyncConfigService;
import io.cozecdc.configs.SyncConfigRepository;

/**
 * Dev-mode demo: on a first start (no sync configuration yet), creates "demo-products" for the sample
 * products table, without the internal cost_price, with each product's supplier (name and city), and
 * "demo-inventory" for the stock movements, with the product's name and SKU and its supplier's name
 * (inventory_records → products → suppliers), and inserts a few sample rows, so the newcomer sees changes
 * flow from the triggers to the (dry-run) Coze sink at once.
 */
@Singleton
public class DemoSeeder {

    static final List<String> FIELDS = List.of("id", "sku", "name", "category", "description", "unit", "unit_price",
            "stock_quantity");
    /** A product's supplier: who supplies it, from which city. */
    static final List<RelationRequest> PRODUCT_RELATED = List.of(
            new RelationRequest("supplier", "suppliers", Map.of("supplier_id", "id"), List.of("name", "city"), null, null, null));
    static final List<String> RECORD_FIELDS = List.of("id", "warehouse", "change_type", "quantity", "recorded_at", "note");
    /** A movement's product (name, SKU) and, through it, the supplier's name. */
    static final List<RelationRequest> RECORD_RELATED = List.of(
            new RelationRequest("product", "products", Map.of("product_id", "id"), List.of("name", "sku"), null, null,
                    List.of(new RelationRequest("supplier", "suppliers", Map.of("supplier_id", "id"), List.of("name"), null, null,
                            null))));

    private final DemoSettings config;
    private final SyncConfigRepository configs;
    private final SyncConfigService service;
    private final DemoRepository demo;

    public DemoSeeder(DemoSettings config, SyncConfigRepository configs, SyncConfigService service, DemoRepository demo) {
        this.config = config;
        this.configs = configs;
        this.service = service;
        this.demo = demo;
    }

    void onStart(@Observes StartupEvent event) {
        if (config.enabled()) {
            seed().await().atMost(Duration.ofMinutes(1));
        }
    }

    Uni<Void> seed() {
        return configs.findAll().chain(existing -> {
            if (!existing.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            return service.create(new SyncConfigRequest("demo-products", "products", config.datasetId(), FIELDS, null, true,
                            PRODUCT_RELATED))
                    .chain(created -> service.create(new SyncConfigRequest("demo-inventory", "inventory_records", config.datasetId(),
                            RECORD_FIELDS, null, true, RECORD_RELATED)))
                    .chain(created -> demo.productCount())
                    .chain(count -> count == 0 ? demo.insertSamples() : Uni.createFrom().voidItem())
                    .invoke(() -> Log.infof("Demo: created sync configurations 'demo-products' (products with their supplier's "
                            + "name and city, without cost_price) and 'demo-inventory' (stock movements with the product's name "
                            + "and SKU and the supplier's name) -> dataset %s, and sample rows. Watch target/coze-dry-run/, or open "
                            + "the console at http://localhost:8080/console/", config.datasetId()));
        });
    }
}
