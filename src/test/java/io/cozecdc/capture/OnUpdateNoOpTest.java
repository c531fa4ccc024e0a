package io.cozecdc.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;

import io.cozecdc.testing.TestDb;

/**
 * products.updated_at is {@code ON UPDATE CURRENT_TIMESTAMP}. An ORM saving an unchanged row sends an
 * UPDATE of every column with its current value; MariaDB then shows updated_at bumped in NEW although
 * the stored row does not change. That is no change, and must not reach the change log.
 */
@QuarkusTest
class OnUpdateNoOpTest {

    @Inject
    AgroalDataSource dataSource;

    TestDb db;

    @BeforeEach
    void clean() {
        db = new TestDb(dataSource);
        db.execute("DELETE FROM products", "DELETE FROM data_change_logs");
    }

    @Test
    void anOrmStyleUpdateThatChangesNothingWritesNoChange() throws InterruptedException {
        String id = UUID.randomUUID().toString();
        db.update("INSERT INTO products (id, sku, name, unit_price, stock_quantity) VALUES (?, 'ORM-1', 'saved twice', 3.50, 7)", id);
        assertThat(db.changes("products")).hasSize(1);
        // updated_at is DATETIME (whole seconds): let the clock move on so a bump would be visible
        Thread.sleep(Duration.ofMillis(1100).toMillis());

        db.update("UPDATE products SET sku = 'ORM-1', name = 'saved twice', category = NULL, unit_price = 3.50, "
                + "stock_quantity = 7, is_active = 1 WHERE id = ?", id);

        assertThat(db.changes("products")).as("change-log rows after a no-op save").hasSize(1);

        // a real change is still captured, and carries the bumped timestamp
        db.update("UPDATE products SET stock_quantity = 8 WHERE id = ?", id);
        List<Map<String, Object>> rows = db.changes("products");
        assertThat(rows).hasSize(2);
        assertThat(TestDb.json(rows.get(1).get("change_data")).get("stock_quantity").asInt()).isEqualTo(8);
        assertThat(TestDb.json(rows.get(1).get("change_data")).get("updated_at").asText())
                .isNotEqualTo(TestDb.json(rows.get(0).get("change_data")).get("updated_at").asText());
    }
}
