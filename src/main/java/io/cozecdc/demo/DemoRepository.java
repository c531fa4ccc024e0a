package io.cozecdc.demo;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** SQL for the demo's sample rows in the sample inventory tables. */
@ApplicationScoped
public class DemoRepository {

    static final String COUNT = "SELECT COUNT(*) FROM products";
    static final String SUPPLIER = "INSERT INTO suppliers (id, name, contact_name, phone, city, rating, payment_terms) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?)";
    static final String PRODUCT = "INSERT INTO products (id, sku, name, category, description, unit, unit_price, cost_price, "
            + "stock_quantity, supplier_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    /** A stock movement some hours ago (the demo's history reads like one). */
    static final String RECORD = "INSERT INTO inventory_records (id, product_id, warehouse, change_type, quantity, operator, note, "
            + "recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, NOW(3) - INTERVAL ? MINUTE)";

    private final Pool pool;

    public DemoRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Long> productCount() {
        return pool.query(COUNT).execute().map(rows -> rows.iterator().next().getLong(0));
    }

    /** Two suppliers, five products and four stock movements, as an inventory team would enter them. */
    public Uni<Void> insertSamples() {
        String hardware = UUID.randomUUID().toString();
        String office = UUID.randomUUID().toString();
        List<Tuple> suppliers = List.of(
                Tuple.tuple().addString(hardware).addString("华东五金有限公司").addString("王磊").addString("0571-8888-1234")
                        .addString("杭州").addValue(new BigDecimal("4.60")).addString("月结30天"),
                Tuple.tuple().addString(office).addString("Bright Office Supplies").addString("Li Na").addString("021-5555-0101")
                        .addString("上海").addValue(new BigDecimal("4.20")).addString("net 45"));
        String screwdriver = UUID.randomUUID().toString();
        String drill = UUID.randomUUID().toString();
        String paper = UUID.randomUUID().toString();
        List<Tuple> products = List.of(
                product(screwdriver, "HW-001", "十字螺丝刀 Phillips screwdriver", "工具", "铬钒钢刀杆，磁性刀头", "把", "18.50", "9.80", 240, hardware),
                product(UUID.randomUUID().toString(), "HW-002", "活动扳手 8寸 Adjustable wrench", "工具", "开口 0-24mm", "把", "35.00", "21.00", 96, hardware),
                product(drill, "HW-003", "电钻 Cordless drill 12V", "电动工具", "含两块电池与充电器", "台", "299.00", "188.00", 15, hardware),
                product(paper, "OF-001", "A4 复印纸 80g (500张)", "办公用品", "高白度，适用于激光与喷墨打印", "包", "26.90", "17.50", 530, office),
                product(UUID.randomUUID().toString(), "OF-002", "中性笔 0.5mm 黑色 (12支)", "办公用品", null, "盒", "15.00", "7.20", 0, office));
        List<Tuple> records = List.of(
                record(screwdriver, "杭州一号仓", "IN", 200, "张伟", "季度补货", 3 * 24 * 60),
                record(screwdriver, "上海中心仓", "IN", 40, "李娜", null, 26 * 60),
                record(drill, "杭州一号仓", "OUT", 3, "张伟", "门店调拨", 5 * 60),
                record(paper, "上海中心仓", "ADJUST", -10, "李娜", "盘点损耗", 45));
        return pool.preparedQuery(SUPPLIER).executeBatch(suppliers)
                .chain(() -> pool.preparedQuery(PRODUCT).executeBatch(products))
                .chain(() -> pool.preparedQuery(RECORD).executeBatch(records))
                .replaceWithVoid();
    }

    private static Tuple record(String product, String warehouse, String type, int quantity, String operator, String note,
            int minutesAgo) {
        return Tuple.tuple().addString(UUID.randomUUID().toString()).addString(product).addString(warehouse).addString(type)
                .addInteger(quantity).addString(operator).addString(note).addInteger(minutesAgo);
    }

    private static Tuple product(String id, String sku, String name, String category, String description, String unit, String price,
            String cost, int stock, String supplier) {
        return Tuple.tuple().addString(id).addString(sku).addString(name).addString(category)
                .addString(description).addString(unit).addValue(new BigDecimal(price)).addValue(new BigDecimal(cost))
                .addInteger(stock).addString(supplier);
    }
}
