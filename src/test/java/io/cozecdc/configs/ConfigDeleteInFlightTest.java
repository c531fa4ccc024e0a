package io.cozecdc.configs;

import static io.cozecdc.testing.Api.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cozecdc.testing.InjectFakeCoze;
import io.cozecdc.testing.PipelineSupport;
import io.cozecdc.testing.coze.FakeCoze;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Review finding 4: a configuration deleted (keepDocuments=false) while creates of its changes are in
 * flight. The commits that follow must not write it back: the dataset ends empty and no row of the
 * configuration remains.
 */
@QuarkusTest
class ConfigDeleteInFlightTest {

    @InjectFakeCoze
    FakeCoze coze;
    @Inject
    PipelineSupport support;
    String dataset;

    @BeforeEach
    void setUp() {
        support.reset();
        dataset = coze.createDataset("delete-in-flight-kb");
    }

    @AfterEach
    void tearDown() {
        support.stop();
        coze.reset();
    }

    @Test
    void deletingAConfigWhileItsCreatesAreInFlightLeavesNothingOfIt() {
        SyncConfig config = support.config("doomed", "products", dataset, List.of("id", "name"), null);
        coze.latency(FakeCoze.Endpoint.CREATE, Duration.ofMillis(1500));
        for (int i = 0; i < 40; i++) {
            support.insertProduct("D" + i, "row " + i, "1.00", null, i);
        }
        support.start();
        await().atMost(PipelineSupport.WAIT).pollInterval(Duration.ofMillis(10)).until(() -> coze.inFlightRequests() > 0);

        api().delete("/api/v1/sync-configs/" + config.id()).then().statusCode(200);

        await().atMost(PipelineSupport.WAIT).pollInterval(Duration.ofMillis(200)).until(() ->
                coze.inFlightRequests() == 0 && support.pending() == 0 && coze.documents(dataset).isEmpty()
                        && rowsOf(config.id()) == 0);
        // and it stays so: nothing in flight writes it back later
        await().pollDelay(Duration.ofSeconds(3)).until(() -> true);
        assertThat(coze.documentsCreated()).as("creates that reached Coze").isPositive();
        assertThat(coze.documents(dataset)).isEmpty();
        assertThat(rowsOf(config.id())).isZero();
    }

    private long rowsOf(long configId) {
        return support.db().count("SELECT COUNT(*) FROM synced_documents WHERE config_id = ?", configId)
                + support.db().count("SELECT COUNT(*) FROM coze_documents WHERE config_id = ?", configId)
                + support.db().count("SELECT COUNT(*) FROM sync_failures WHERE config_id = ?", configId);
    }
}
