package io.cozecdc.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;

/**
 * {@link Sql#bounded}: a database call left without an answer (the reactive pool can lose one sent just
 * as the server goes away) fails after its bound with a message naming the call, and is cancelled, so
 * whatever waits on it (a batch, and behind it the poller) moves on; a call that answers is untouched.
 */
class SqlBoundTest {

    @Test
    void aCallWithoutAnAnswerFailsAfterItsBoundNamingTheCallAndIsCancelled() {
        AtomicBoolean cancelled = new AtomicBoolean();
        Uni<Integer> never = Uni.createFrom().<Integer>nothing().onCancellation().invoke(() -> cancelled.set(true));

        long start = System.nanoTime();
        assertThatThrownBy(() -> Sql.bounded(never, "the release of a batch", Duration.ofMillis(200))
                .await().atMost(Duration.ofSeconds(5)))
                .isInstanceOf(Sql.DatabaseCallTimeout.class)
                .hasMessageContaining("the release of a batch");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(cancelled).as("the abandoned call is cancelled").isTrue();
    }

    @Test
    void aCallThatAnswersKeepsItsItemAndItsFailure() {
        assertThat(Sql.bounded(Uni.createFrom().item(7), "a count", Duration.ofSeconds(1)).await().atMost(Duration.ofSeconds(5)))
                .isEqualTo(7);
        assertThatThrownBy(() -> Sql.bounded(Uni.createFrom().<Integer>failure(new IllegalStateException("refused")), "a count",
                Duration.ofSeconds(1)).await().atMost(Duration.ofSeconds(5)))
                .isInstanceOf(IllegalStateException.class).hasMessage("refused");
    }

    @Test
    void theBoundLeavesTheStatementTimeoutToActFirst() {
        // no configuration here: the statement timeout's default (60 s) plus the margin
        assertThat(Sql.callBound()).isEqualTo(Duration.ofSeconds(60).plus(Sql.BOUND_MARGIN));
    }
}
