package io.cozecdc.testing.process;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.cozecdc.testing.TestDb;

/**
 * An application writing to the sample {@code products} table: inserts, updates (of synced and of
 * filtered-out columns, some changing nothing) and deletes, in a background thread, bounded in count and
 * time. Failed writes (say, while the database is down) are counted and skipped, as an application would.
 * The database itself is the truth afterwards: read {@code products} to know the expected state.
 */
public final class ProductWriter implements AutoCloseable {

    private static final String[] NAMES = {"扳手", "螺丝刀 6mm", "Hammer", "Zange", "bolt M8", "库存盘点", "clé 13", "Ölkanne"};

    private final TestDb db;
    private final Random random;
    private final List<String> ids = new ArrayList<>();
    private final AtomicInteger ops = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicBoolean stop = new AtomicBoolean();
    private Thread thread;
    private int sku;

    public ProductWriter(TestDb db, long seed) {
        this.db = db;
        this.random = new Random(seed);
    }

    /**
     * Starts writing in the background until {@code maxOps} writes or {@code maxTime}, at about
     * {@code perSecond} writes a second.
     */
    public ProductWriter start(int maxOps, Duration maxTime, int perSecond) {
        long deadline = System.nanoTime() + maxTime.toNanos();
        long pause = Math.max(0, 1000 / Math.max(1, perSecond));
        thread = new Thread(() -> {
            while (!stop.get() && ops.get() + failed.get() < maxOps && System.nanoTime() < deadline) {
                writeOne();
                sleep(pause);
            }
        }, "product-writer");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    /** Writes {@code n} changes now, in this thread. */
    public void burst(int n) {
        for (int i = 0; i < n; i++) {
            writeOne();
        }
    }

    /** Waits for the background writer to finish (bounded). */
    public void awaitDone(Duration timeout) {
        if (thread == null) {
            return;
        }
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            stop.set(true);
            throw new IllegalStateException("the writer did not finish within " + timeout);
        }
    }

    /** Writes that succeeded. */
    public int ops() {
        return ops.get();
    }

    /** Writes that failed (database unreachable). */
    public int failed() {
        return failed.get();
    }

    @Override
    public void close() {
        stop.set(true);
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private synchronized void writeOne() {
        try {
            int kind = ids.size() < 20 ? 0 : random.nextInt(10);
            if (kind <= 3) {
                String id = UUID.randomUUID().toString();
                db.update("INSERT INTO products (id, sku, name, unit_price, cost_price, stock_quantity) VALUES (?, ?, ?, ?, ?, ?)",
                        id, "W-" + (++sku) + "-" + id.substring(0, 6), name(), price(), price(), random.nextInt(1000));
                ids.add(id);
            } else if (kind <= 6) {
                db.update("UPDATE products SET stock_quantity = ?, name = ? WHERE id = ?", random.nextInt(1000), name(), pick());
            } else if (kind == 7) {
                // only a column the sync configuration filters out: no Coze call may follow
                db.update("UPDATE products SET cost_price = ? WHERE id = ?", price(), pick());
            } else if (kind == 8) {
                // changes nothing: the trigger writes nothing
                db.update("UPDATE products SET stock_quantity = stock_quantity WHERE id = ?", pick());
            } else {
                String id = pick();
                db.update("DELETE FROM products WHERE id = ?", id);
                ids.remove(id);
            }
            ops.incrementAndGet();
        } catch (RuntimeException e) {
            failed.incrementAndGet();
            sleep(100);
        }
    }

    private String pick() {
        return ids.get(random.nextInt(ids.size()));
    }

    private String name() {
        return NAMES[random.nextInt(NAMES.length)] + " #" + random.nextInt(100_000);
    }

    private BigDecimal price() {
        return BigDecimal.valueOf(random.nextInt(100_000), 2);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
