package io.cozecdc.testing.hostile;

import java.time.Duration;
import java.util.Random;
import java.util.function.Function;

/**
 * A small property runner: generates cases from a seeded {@link Random}, checks each, and on the first
 * failure reports the try, the seed to replay it with and the generated case. Bounded in tries and in
 * time (at least {@code minTries} run even past the time budget).
 *
 * <p>The seed comes from system property {@code hostile.seed} when set (replay), otherwise from the
 * clock, so every run explores new cases; it is printed at the start.
 */
public final class Properties {

    /** One generated case: a description to print and the check to run. */
    public interface Case {
        String describe();

        void check() throws Exception;
    }

    private Properties() {
    }

    /** The seed for this run. */
    public static long seed() {
        return Long.getLong("hostile.seed", System.nanoTime());
    }

    /**
     * Runs up to {@code tries} cases made by {@code generator}, stopping early once {@code budget} is spent
     * and at least {@code minTries} ran; returns how many ran.
     */
    public static int forAll(String property, long seed, int tries, int minTries, Duration budget, Function<Random, Case> generator) {
        System.out.printf("[property] %s: seed %d (replay with -Dhostile.seed=%d), budget %d s, %d to %d tries%n", property, seed, seed,
                budget.toSeconds(), minTries, tries);
        long deadline = System.nanoTime() + budget.toNanos();
        Random random = new Random(seed);
        int ran = 0;
        for (int i = 0; i < tries; i++) {
            if (i >= minTries && System.nanoTime() > deadline) {
                break;
            }
            Case c = generator.apply(random);
            try {
                c.check();
            } catch (Throwable e) {
                throw new AssertionError(property + " failed on try " + (i + 1) + " (replay with -Dhostile.seed=" + seed
                        + ")\ncase: " + c.describe() + "\n" + e.getMessage(), e);
            }
            ran++;
        }
        System.out.printf("[property] %s: %d cases passed%n", property, ran);
        return ran;
    }
}
