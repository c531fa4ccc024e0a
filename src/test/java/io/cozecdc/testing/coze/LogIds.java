package io.cozecdc.testing.coze;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/** Unique log ids shaped like Coze's: a UTC timestamp, an instance tag and a counter, in hex. */
final class LogIds {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss")
            .withZone(ZoneOffset.UTC);

    private final MonotonicClock clock;
    private final int instanceTag = ThreadLocalRandom.current().nextInt(1 << 24);
    private final AtomicLong counter = new AtomicLong();

    LogIds(MonotonicClock clock) {
        this.clock = clock;
    }

    String next() {
        return STAMP.format(clock.now()) + String.format("%06X%012X", instanceTag, counter.incrementAndGet());
    }
}
