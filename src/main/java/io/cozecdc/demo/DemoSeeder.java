package io.cozecdc.demo;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;

import io.cozecdc.configapi.SyncConfigRequest;
import io.cozecdc.configapi.SyncConfigService;
import io.cozecdc.configs.SyncConfigRepository;

/**
 * Dev-mode demo: on a first start (no sync configuration yet), creates "demo-products" for the sample
 * products table, without the internal cost_price, and inserts a few sample rows, so the newcomer
 * sees changes flow from the triggers to the (dry-run) Coze sink at once.
 */
@Singleton
public class DemoSeeder {

    static final List<String> FIELDS = List.of("id", "sku", "name", "category", "description", "unit", "unit_price",
            "stock_quantity");

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
            return service.create(new SyncConfigRequest("demo-products", "products", config.datasetId(), FIELDS, null, true))
                    .chain(created -> demo.productCount())
                    .chain(count -> count == 0 ? demo.insertSamples() : Uni.createFrom().voidItem())
                    .invoke(() -> Log.infof("Demo: created sync configuration 'demo-products' (products -> dataset %s, "
                            + "without cost_price) and sample rows. Watch target/coze-dry-run/, or open the console at "
                            + "http://localhost:8080/console/", config.datasetId()));
        });
    }
}
