package io.cozecdc.failures;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class BackoffTest {

    final Backoff backoff = new Backoff(new TestRetrySettings(5));

    @Test
    void doublesWithJitterAndIsCapped() {
        assertThat(backoff.delay(1, 1.0)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.delay(1, 0.0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.delay(3, 1.0)).isEqualTo(Duration.ofSeconds(8));
        assertThat(backoff.delay(10, 1.0)).isEqualTo(Duration.ofMinutes(1));
        assertThat(backoff.delay(500, 1.0)).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void exhaustedAtMaxAttempts() {
        assertThat(backoff.exhausted(4)).isFalse();
        assertThat(backoff.exhausted(5)).isTrue();
    }
}
