package io.cozecdc.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.subscription.Cancellable;

import io.cozecdc.testing.InjectFakeCoze;
import io.cozecdc.testing.PipelineSupport;
import io.cozecdc.testing.coze.FakeCoze;
import io.cozecdc.testing.coze.FakeCoze.Endpoint;

/**
 * A delivery that is cancelled while its create call is in flight (the poller's loop ending on a failed
 * claim used to cancel the batches still running; a round abandoned at its bound still does) stops
 * renewing the call's create intents, so their lease runs out and the resolver settles them. Before the
 * fix the intents stayed held by {@link LeaseKeeper} and were renewed for as long as the process lived:
 * reconciliation never touched their documents, which stayed in Coze beside the row's next document
 * (found by OutageIT stopping the database mid-batch).
 */
@QuarkusTest
class CancelledDeliveryTest {

    private static final List<String> FIELDS = List.of("id", "name", "stock_quantity");

    @Inject
    BatchProcessor processor;
    @Inject
    LeaseKeeper leases;
    @Inject
    PipelineSupport support;
    @InjectFakeCoze
    FakeCoze coze;
    String dataset;

    @BeforeEach
    void setUp() {
        support.reset();
        dataset = coze.createDataset("cancelled-kb");
    }

    @AfterEach
    void tearDown() {
        support.stop();
        coze.reset();
    }

    @Test
    void aBatchCancelledWhileItsCreateIsInFlightNoLongerRenewsTheCallsIntents() {
        support.config("cancelled", "products", dataset, FIELDS, null);
        coze.latency(Endpoint.CREATE, Duration.ofMillis(1500));
        support.insertProduct("C1", "cancelled mid-call", "1.00", null, 1);
        int heldBefore = leases.heldIntents();

        Cancellable running = processor.processBatch().subscribe().with(n -> { }, e -> { });
        // the intent is written and held once the call has its permit; the answer is 1.5 s away
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> leases.heldIntents() == heldBefore + 1);
        assertThat(support.db().count("SELECT COUNT(*) FROM create_intents")).isEqualTo(1);
        running.cancel();

        // released with the delivery, not renewed for ever (and not after the answer would have come either)
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> leases.heldIntents() == heldBefore);
        await().pollDelay(Duration.ofMillis(2000)).atMost(Duration.ofSeconds(3)).until(() -> true);
        assertThat(leases.heldIntents()).as("intents held after the call's answer was due").isEqualTo(heldBefore);
        assertThat(support.db().count("SELECT COUNT(*) FROM create_intents")).as("the intent stays for the resolver")
                .isEqualTo(1);
    }
}
