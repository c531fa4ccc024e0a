package io.cozecdc.failures;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.cozecdc.changelog.Change;
import io.cozecdc.changelog.Operation;
import io.cozecdc.failures.FailurePolicy.Kind;

/** The failure queue's rules, without a database. */
class FailurePolicyTest {

    static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");

    final FailurePolicy policy = new FailurePolicy(new Backoff(new TestRetrySettings(3)));

    @Test
    void anAttemptCountsAndTheLastAllowedOneMakesTheChangeDead() {
        FailureRecord first = policy.failed(1, change(10), Kind.ATTEMPT, 5000, "busy", "log-1", null, NOW).orElseThrow();
        FailureRecord second = policy.failed(1, change(10), Kind.ATTEMPT, 5000, "busy", null, first, NOW).orElseThrow();
        FailureRecord third = policy.failed(1, change(10), Kind.ATTEMPT, 5000, "busy", null, second, NOW).orElseThrow();

        assertThat(first.attempts()).isEqualTo(1);
        assertThat(first.status()).isEqualTo(FailureStatus.RETRYING);
        assertThat(first.nextAttemptAt()).isBetween(NOW.plusSeconds(1), NOW.plusSeconds(2));
        assertThat(second.attempts()).isEqualTo(2);
        assertThat(second.createdAt()).isEqualTo(first.createdAt());
        assertThat(third.attempts()).isEqualTo(3);
        assertThat(third.status()).isEqualTo(FailureStatus.DEAD);
        assertThat(third.nextAttemptAt()).isNull();
    }

    @Test
    void aPermanentFailureIsDeadAtOnce() {
        FailureRecord dead = policy.failed(1, change(10), Kind.PERMANENT, 4000, "bad", null, null, NOW).orElseThrow();

        assertThat(dead.status()).isEqualTo(FailureStatus.DEAD);
        assertThat(dead.attempts()).isEqualTo(1);
        assertThat(dead.nextAttemptAt()).isNull();
    }

    @Test
    void heldAndThrottledNeverCountSoTheyNeverMakeAChangeDead() {
        FailureRecord open = null;
        for (int i = 0; i < 10; i++) {
            open = policy.failed(1, change(10), i % 2 == 0 ? Kind.HELD : Kind.THROTTLED, 4013, "slow down", null, open, NOW)
                    .orElseThrow();
        }

        assertThat(open.attempts()).isZero();
        assertThat(open.status()).isEqualTo(FailureStatus.RETRYING);
        assertThat(policy.failed(1, change(10), Kind.HELD, -5, "config in error", null, open, NOW).orElseThrow()
                .nextAttemptAt()).as("held: due again at once").isEqualTo(NOW);
        assertThat(policy.failed(1, change(10), Kind.THROTTLED, 4013, "slow down", null, open, NOW).orElseThrow()
                .nextAttemptAt()).as("throttled: after a backoff").isAfter(NOW);
    }

    @Test
    void aNewerChangeStartsCountingAgainAndAnOlderOneIsStale() {
        FailureRecord older = policy.failed(1, change(10), Kind.ATTEMPT, 5000, "busy", null, null, NOW).orElseThrow();
        FailureRecord newer = policy.failed(1, change(12), Kind.ATTEMPT, 5000, "busy", null, older, NOW).orElseThrow();

        assertThat(newer.logId()).isEqualTo(12);
        assertThat(newer.attempts()).isEqualTo(1);
        assertThat(policy.failed(1, change(10), Kind.ATTEMPT, 5000, "busy", null, newer, NOW)).isEmpty();
    }

    private static Change change(long logId) {
        return new Change(logId, "products", "k1", Operation.UPDATE, null, NOW.minusSeconds(5), null);
    }
}
