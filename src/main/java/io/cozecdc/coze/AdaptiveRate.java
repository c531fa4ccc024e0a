package io.cozecdc.coze;

/**
 * The start rate the limiter allows, adapted to what Coze tolerates: it starts at the configured
 * ceiling, halves when Coze says it is throttling (HTTP 429, codes 4009 and 4013), and climbs back by
 * a tenth of the ceiling per second once Coze has been quiet for a second (additive increase,
 * multiplicative decrease). Coze publishes no limit for the knowledge endpoints, so the service finds
 * it instead of guessing.
 *
 * <p>Several throttled answers within a second are one signal: the calls in flight when Coze started
 * refusing all come back refused, and halving for each would drop to the floor at once. Not thread
 * safe; the limiter calls it under its lock. Times are {@link System#nanoTime()} values.
 */
final class AdaptiveRate {

    /** The lowest rate, in calls per second (or the ceiling, if that is lower). */
    static final double FLOOR = 1;
    static final long QUIET_NANOS = 1_000_000_000L;
    static final double RECOVERY_SHARE_PER_SECOND = 0.1;

    private final double ceiling;
    private final double floor;
    private double rate;
    private long lastDecrease;
    private long lastUpdate;
    private boolean decreased;

    AdaptiveRate(double ceiling, long now) {
        if (ceiling <= 0) {
            throw new IllegalArgumentException("the rate ceiling must be > 0, not " + ceiling);
        }
        this.ceiling = ceiling;
        this.floor = Math.min(FLOOR, ceiling);
        this.rate = ceiling;
        this.lastUpdate = now;
    }

    /** The rate allowed at {@code now}, in calls per second. */
    double at(long now) {
        if (rate < ceiling) {
            long climbFrom = Math.max(lastUpdate, lastDecrease + QUIET_NANOS);
            if (now > climbFrom) {
                rate = Math.min(ceiling, rate + (now - climbFrom) / 1e9 * ceiling * RECOVERY_SHARE_PER_SECOND);
            }
        }
        lastUpdate = Math.max(lastUpdate, now);
        return rate;
    }

    /**
     * Coze throttled a call. Returns true when this lowered the rate, false when it was already lowered
     * within the last second (the same signal) or is at the floor.
     */
    boolean throttled(long now) {
        double current = at(now);
        if ((decreased && now - lastDecrease < QUIET_NANOS) || current <= floor) {
            return false;
        }
        rate = Math.max(floor, current / 2);
        lastDecrease = now;
        decreased = true;
        return true;
    }

    double ceiling() {
        return ceiling;
    }
}
