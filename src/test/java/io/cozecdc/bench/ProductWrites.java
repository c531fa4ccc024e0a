package io.cozecdc.bench;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A mix of single-row product inserts, updates and deletes for {@link SteadyWriter}. Updates and
 * deletes pick a random live product; a deleted key is never written again.
 */
final class ProductWrites implements SteadyWriter.Mix {

    private final int tag;
    private final AtomicLong nextNumber;
    private final int insertPercent;
    private final int updatePercent;
    private final List<String> live = new ArrayList<>();

    /** Percentages of inserts and updates; the rest are deletes. */
    ProductWrites(int tag, long firstNumber, int insertPercent, int updatePercent) {
        this.tag = tag;
        this.nextNumber = new AtomicLong(firstNumber);
        this.insertPercent = insertPercent;
        this.updatePercent = updatePercent;
    }

    /** Makes existing products (e.g. loaded with {@link Workload#insertProducts}) eligible for updates and deletes. */
    synchronized void addLive(int liveTag, long from, long count) {
        for (long n = from; n < from + count; n++) {
            live.add(Workload.key(liveTag, n));
        }
    }

    @Override
    public SteadyWriter.Write next() {
        int dice = ThreadLocalRandom.current().nextInt(100);
        synchronized (this) {
            if (dice < insertPercent || live.size() < 10) {
                return insert();
            }
            int i = ThreadLocalRandom.current().nextInt(live.size());
            String key = live.get(i);
            if (dice < insertPercent + updatePercent) {
                return update(key);
            }
            live.set(i, live.get(live.size() - 1));
            live.remove(live.size() - 1);
            return delete(key);
        }
    }

    private SteadyWriter.Write insert() {
        long n = nextNumber.getAndIncrement();
        String key = Workload.key(tag, n);
        return c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO products (id, sku, name, category, description, "
                    + "unit, unit_price, cost_price, stock_quantity, is_active) VALUES (?, ?, ?, 'tools', ?, 'pcs', ?, ?, ?, 1)")) {
                ps.setString(1, key);
                ps.setString(2, "W" + tag + "-" + n);
                ps.setString(3, "Written product " + n);
                ps.setString(4, "Product " + n + " written while the benchmark measures.");
                ps.setBigDecimal(5, new BigDecimal("19.90"));
                ps.setBigDecimal(6, new BigDecimal("9.10"));
                ps.setInt(7, (int) (n % 500));
                int changed = ps.executeUpdate();
                synchronized (this) {
                    live.add(key);
                }
                return changed;
            }
        };
    }

    private SteadyWriter.Write update(String key) {
        return c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE products SET stock_quantity = stock_quantity + 1 WHERE id = ?")) {
                ps.setString(1, key);
                return ps.executeUpdate();
            }
        };
    }

    private SteadyWriter.Write delete(String key) {
        return c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM products WHERE id = ?")) {
                ps.setString(1, key);
                return ps.executeUpdate();
            }
        };
    }
}
