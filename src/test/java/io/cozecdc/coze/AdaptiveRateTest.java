package io.cozecdc.coze;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Additive increase, multiplicative decrease, on a clock the test moves. */
class AdaptiveRateTest {

    static final long SECOND = 1_000_000_000L;
    static final long T0 = 5 * SECOND;

    @Test
    void startsAtTheCeilingAndStaysThereWithoutSignals() {
        AdaptiveRate rate = new AdaptiveRate(100, T0);
        assertThat(rate.at(T0)).isEqualTo(100);
        assertThat(rate.at(T0 + 60 * SECOND)).isEqualTo(100);
    }

    @Test
    void halvesOncePerSecondOfSignals() {
        AdaptiveRate rate = new AdaptiveRate(100, T0);
        assertThat(rate.throttled(T0)).isTrue();
        // the calls that were in flight come back throttled too: the same signal
        assertThat(rate.throttled(T0 + SECOND / 10)).isFalse();
        assertThat(rate.throttled(T0 + SECOND / 2)).isFalse();
        assertThat(rate.at(T0 + SECOND / 2)).isEqualTo(50);
        // still throttled a second later: halve again
        assertThat(rate.throttled(T0 + SECOND)).isTrue();
        assertThat(rate.at(T0 + SECOND)).isEqualTo(25);
    }

    @Test
    void climbsBackByATenthOfTheCeilingPerSecondAfterAQuietSecond() {
        AdaptiveRate rate = new AdaptiveRate(100, T0);
        rate.throttled(T0);
        assertThat(rate.at(T0 + SECOND)).isEqualTo(50);
        assertThat(rate.at(T0 + 2 * SECOND)).isCloseTo(60, within(1e-9));
        assertThat(rate.at(T0 + 3 * SECOND + SECOND / 2)).isCloseTo(75, within(1e-9));
        assertThat(rate.at(T0 + 6 * SECOND)).isEqualTo(100);
        assertThat(rate.at(T0 + 60 * SECOND)).isEqualTo(100);
    }

    @Test
    void aLateReadClimbsOnlyFromTheEndOfTheQuietSecond() {
        AdaptiveRate rate = new AdaptiveRate(100, T0);
        rate.throttled(T0);
        // nobody asked for 3 s: 2 s of climbing, not 3
        assertThat(rate.at(T0 + 3 * SECOND)).isCloseTo(70, within(1e-9));
    }

    @Test
    void neverBelowTheFloorAndAtTheFloorASignalChangesNothing() {
        AdaptiveRate rate = new AdaptiveRate(8, T0);
        assertThat(rate.throttled(T0)).isTrue();
        assertThat(rate.throttled(T0 + SECOND)).isTrue();
        assertThat(rate.throttled(T0 + 2 * SECOND)).isTrue();
        assertThat(rate.at(T0 + 2 * SECOND)).isEqualTo(AdaptiveRate.FLOOR);
        assertThat(rate.throttled(T0 + 3 * SECOND)).isFalse();
        assertThat(rate.at(T0 + 3 * SECOND)).isEqualTo(AdaptiveRate.FLOOR);
        // a ceiling under the floor is its own floor
        assertThat(new AdaptiveRate(0.5, T0).throttled(T0)).isFalse();
    }
}
