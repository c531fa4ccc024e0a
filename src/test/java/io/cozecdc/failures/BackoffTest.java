package io.cozecdc.failures;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class BackoffTest {

    final Backoff backoff = new Backoff(new RetrySettings() {
        public int maxAttempts() {
            return 5;
        }

        public Duration initialBackoff() {
            return Duration.ofSeconds(2);
        }

        public Duration maxBackoff() {
            return Duration.ofMinutes(1);
        }

        public Duration interval() {
            return Duration.ofSeconds(1);
        }

        public int batchSize() {
            return 100;
        }
    });

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
