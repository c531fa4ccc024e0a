package io.cozecdc.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;

import io.cozecdc.testing.TestDb;

/** The generated triggers on the sample tables, exercised with real SQL against MariaDB. */
@QuarkusTest
class CaptureTriggersTest {

    @Inject
    AgroalDataSource dataSource;

    TestDb db;

    @BeforeEach
    void clean() {
        db = new TestDb(dataSource);
        db.execute("DELETE FROM products", "DELETE FROM suppliers", "DELETE FROM inventory_records",
                "DELETE FROM data_change_logs");
    }

    @Test
    void insertUpdateDeleteOfAProductEachWriteOneRowWithEveryColumn() {
        String id = UUID.randomUUID().toString();
        db.update("INSERT INTO products (id, sku, name, category, unit_price, cost_price, stock_quantity) "
                + "VALUES (?, 'SKU-1', '螺丝刀 Screwdriver', 'tools', 12.50, 7.10, 40)", id);

        List<Map<String, Object>> rows = db.changes("products");
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0)).containsEntry("record_uuid", id).containsEntry("operation_type", "INSERT")
                .containsEntry("processed", false);
        JsonNode data = TestDb.json(rows.get(0).get("change_data"));
        assertThat(fieldNames(data)).containsExactlyInAnyOrder("id", "sku", "name", "category", "description", "unit",
                "unit_price", "cost_price", "stock_quantity", "supplier_id", "is_active", "created_at", "updated_at");
        assertThat(data.get("id").asText()).isEqualTo(id);
        assertThat(data.get("name").asText()).isEqualTo("螺丝刀 Screwdriver");
        assertThat(data.get("unit_price").decimalValue()).isEqualByComparingTo(new BigDecimal("12.50"));
        assertThat(data.get("cost_price").decimalValue()).isEqualByComparingTo(new BigDecimal("7.10"));
        assertThat(data.get("stock_quantity").asInt()).isEqualTo(40);
        assertThat(data.get("description").isNull()).isTrue();

        db.update("UPDATE products SET stock_quantity = 39 WHERE id = ?", id);
        rows = db.changes("products");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(1)).containsEntry("record_uuid", id).containsEntry("operation_type", "UPDATE");
        assertThat(TestDb.json(rows.get(1).get("change_data")).get("stock_quantity").asInt()).isEqualTo(39);

        db.update("DELETE FROM products WHERE id = ?", id);
        rows = db.changes("products");
        assertThat(rows).hasSize(3);
        assertThat(rows.get(2)).containsEntry("record_uuid", id).containsEntry("operation_type", "DELETE");
        // a delete carries the row as it was (OLD)
        assertThat(TestDb.json(rows.get(2).get("change_data")).get("stock_quantity").asInt()).isEqualTo(39);
    }

    @Test
    void supplierAndInventoryRecordChangesAreCapturedToo() {
        String supplier = UUID.randomUUID().toString();
        db.update("INSERT INTO suppliers (id, name, city, rating, payment_terms) VALUES (?, '华东五金', '杭州', 4.50, 'net 30')",
                supplier);
        db.update("UPDATE suppliers SET rating = 4.75 WHERE id = ?", supplier);
        db.update("DELETE FROM suppliers WHERE id = ?", supplier);
        assertThat(db.changes("suppliers")).extracting(r -> r.get("operation_type"))
                .containsExactly("INSERT", "UPDATE", "DELETE");
        assertThat(db.changes("suppliers")).allSatisfy(r -> assertThat(r.get("record_uuid")).isEqualTo(supplier));
        assertThat(TestDb.json(db.changes("suppliers").get(1).get("change_data")).get("rating").decimalValue())
                .isEqualByComparingTo("4.75");

        String record = UUID.randomUUID().toString();
        db.update("INSERT INTO inventory_records (id, product_id, warehouse, change_type, quantity, recorded_at) "
                + "VALUES (?, ?, 'WH-1', 'IN', 100, '2026-11-01 08:30:00.125')", record, UUID.randomUUID().toString());
        db.update("UPDATE inventory_records SET change_type = 'ADJUST', quantity = 90 WHERE id = ?", record);
        db.update("DELETE FROM inventory_records WHERE id = ?", record);
        List<Map<String, Object>> rows = db.changes("inventory_records");
        assertThat(rows).extracting(r -> r.get("operation_type")).containsExactly("INSERT", "UPDATE", "DELETE");
        JsonNode inserted = TestDb.json(rows.get(0).get("change_data"));
        assertThat(inserted.get("change_type").asText()).isEqualTo("IN");
        assertThat(inserted.get("recorded_at").asText()).startsWith("2026-11-01 08:30:00.125");
        assertThat(TestDb.json(rows.get(1).get("change_data")).get("change_type").asText()).isEqualTo("ADJUST");
    }

    @Test
    void anUpdateThatChangesNothingWritesNothing() {
        String id = insertProduct("SKU-2");
        db.update("UPDATE products SET name = name, unit_price = unit_price, description = NULL WHERE id = ?", id);
        db.update("UPDATE products SET stock_quantity = 5 WHERE id = ?", id); // same value as inserted
        assertThat(db.changes("products")).hasSize(1);
    }

    @Test
    void nullToValueAndValueToNullAreChanges() {
        String id = insertProduct("SKU-3");
        db.update("UPDATE products SET description = 'now described' WHERE id = ?", id);
        db.update("UPDATE products SET description = NULL WHERE id = ?", id);
        List<Map<String, Object>> rows = db.changes("products");
        assertThat(rows).hasSize(3);
        assertThat(TestDb.json(rows.get(1).get("change_data")).get("description").asText()).isEqualTo("now described");
        assertThat(TestDb.json(rows.get(2).get("change_data")).get("description").isNull()).isTrue();
    }

    @Test
    void aCaseOnlyOrTrailingSpaceChangeIsAChange() {
        String id = insertProduct("SKU-4");
        db.update("UPDATE products SET name = 'WIDGET' WHERE id = ?", id); // was 'widget'; equal under _ci collation
        db.update("UPDATE products SET name = 'WIDGET ' WHERE id = ?", id); // equal under PAD SPACE
        assertThat(db.changes("products")).hasSize(3);
    }

    @Test
    void changingTheKeyLogsADeleteOfTheOldKeyAndTheNewRow() {
        String id = insertProduct("SKU-5");
        String newId = UUID.randomUUID().toString();
        db.update("UPDATE products SET id = ? WHERE id = ?", newId, id);
        List<Map<String, Object>> rows = db.changes("products");
        assertThat(rows).hasSize(3);
        assertThat(rows.get(1)).containsEntry("operation_type", "DELETE").containsEntry("record_uuid", id);
        assertThat(rows.get(2)).containsEntry("operation_type", "UPDATE").containsEntry("record_uuid", newId);
    }

    @Test
    void aMultiRowStatementWritesOneRowPerChangedRow() {
        insertProduct("SKU-6");
        insertProduct("SKU-7");
        insertProduct("SKU-8");
        db.update("UPDATE products SET stock_quantity = stock_quantity + 1");
        assertThat(db.changes("products")).extracting(r -> r.get("operation_type"))
                .containsExactly("INSERT", "INSERT", "INSERT", "UPDATE", "UPDATE", "UPDATE");
    }

    private String insertProduct(String sku) {
        String id = UUID.randomUUID().toString();
        db.update("INSERT INTO products (id, sku, name, unit_price, stock_quantity) VALUES (?, ?, 'widget', 1.00, 5)", id, sku);
        return id;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
