package io.cozecdc.testing.coze;

import java.time.Instant;

/** Wall-clock instants that never go backwards (anchored once, advanced by {@link System#nanoTime()}). */
final class MonotonicClock {

    private final Instant origin = Instant.now();
    private final long originNanos = System.nanoTime();

    Instant now() {
        return origin.plusNanos(System.nanoTime() - originNanos);
    }
}
