package io.cozecdc.bench;

import java.time.Duration;
import java.util.function.LongSupplier;

import io.cozecdc.testing.process.ServiceProcess;

/**
 * Waits for a count to reach a goal while it keeps moving: fails when it stands still for
 * {@code stall} (the service is stuck or dead) rather than after a fixed total time, so a slow
 * baseline and a fast drain use the same rule.
 */
final class Progress {

    private Progress() {
    }

    static void await(String what, LongSupplier count, long goal, Duration stall, ServiceProcess... services) {
        long last = -1;
        long lastMove = System.nanoTime();
        while (true) {
            long now = count.getAsLong();
            if (now >= goal) {
                return;
            }
            if (now != last) {
                last = now;
                lastMove = System.nanoTime();
            } else if (System.nanoTime() - lastMove > stall.toNanos()) {
                throw new IllegalStateException(what + ": stuck at " + now + " of " + goal + " for " + stall
                        + tails(services));
            }
            for (ServiceProcess s : services) {
                if (!s.isAlive()) {
                    throw new IllegalStateException(what + ": the service died at " + now + " of " + goal + tails(services));
                }
            }
            sleep(100);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String tails(ServiceProcess... services) {
        StringBuilder sb = new StringBuilder();
        for (ServiceProcess s : services) {
            sb.append("\n--- ").append(s.logFile()).append(" ---\n").append(s.tail(30));
        }
        return sb.toString();
    }
}
