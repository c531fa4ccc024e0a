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

    @Test
    void aStatementThatMeetsADeadlockRunsAgainUpToThreeTimesInAllAndOtherFailuresDoNot() {
        java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
        Uni<String> twoDeadlocksThenDone = Uni.createFrom().item(() -> {
            if (runs.incrementAndGet() <= 2) {
                throw new io.vertx.mysqlclient.MySQLException("Deadlock found when trying to get lock", 1213, "40001");
            }
            return "processed";
        });
        assertThat(Sql.retryingTransient(twoDeadlocksThenDone).await().atMost(Duration.ofSeconds(5))).isEqualTo("processed");
        assertThat(runs.get()).isEqualTo(3);

        runs.set(0);
        Uni<String> alwaysDeadlocked = Uni.createFrom().item(() -> {
            runs.incrementAndGet();
            throw new io.vertx.mysqlclient.MySQLException("Lock wait timeout exceeded", 1205, "HY000");
        });
        assertThatThrownBy(() -> Sql.retryingTransient(alwaysDeadlocked).await().atMost(Duration.ofSeconds(5)))
                .hasMessageContaining("Lock wait timeout");
        assertThat(runs.get()).as("three runs in all").isEqualTo(3);

        runs.set(0);
        Uni<String> broken = Uni.createFrom().item(() -> {
            runs.incrementAndGet();
            throw new io.vertx.mysqlclient.MySQLException("Unknown column", 1054, "42S22");
        });
        assertThatThrownBy(() -> Sql.retryingTransient(broken).await().atMost(Duration.ofSeconds(5))).hasMessageContaining("Unknown column");
        assertThat(runs.get()).as("not a transient error: one run").isEqualTo(1);
    }
}
