package io.cozecdc.configapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import io.cozecdc.changelog.Change;
import io.cozecdc.changelog.ChangeLogRepository;
import io.cozecdc.configs.SyncConfig;
import io.cozecdc.sync.CommitStatus;
import io.cozecdc.sync.ConfigDelivery;
import io.cozecdc.testing.InjectFakeCoze;
import io.cozecdc.testing.PipelineSupport;
import io.cozecdc.testing.coze.FakeCoze;

/**
 * Review finding 4: a configuration deleted (keepDocuments=false) while a create of its changes is in
 * flight. The commit that follows must not write it back: the dataset ends empty and no row of the
 * configuration remains. The sync runs as a batch would run it (ConfigDelivery), the delete as the API
 * runs it (SyncConfigService), so the delete lands while the create call waits for Coze's answer.
 */
@QuarkusTest
class ConfigDeleteInFlightTest {

    @InjectFakeCoze
    FakeCoze coze;
    @Inject
    PipelineSupport support;
    @Inject
    ConfigDelivery configSync;
    @Inject
    SyncConfigService service;
    @Inject
    ChangeLogRepository changeLog;
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
    void deletingAConfigWhileItsCreatesAreInFlightLeavesNothingOfIt() throws Exception {
        SyncConfig config = support.config("doomed", "products", dataset, List.of("id", "name"), null);
        for (int i = 0; i < 5; i++) {
            support.insertProduct("D" + i, "row " + i, "1.00", null, i);
        }
        List<Long> logIds = support.db().query("SELECT id FROM data_change_logs ORDER BY id").stream()
                .map(r -> ((Number) r.get("id")).longValue()).toList();
        List<Change> changes = List.copyOf(changeLog.find(logIds).await().atMost(PipelineSupport.WAIT).values());
        // slow, but well within coze.request-timeout (2 s in tests)
        coze.latency(FakeCoze.Endpoint.CREATE, Duration.ofMillis(1000));

        CompletableFuture<Map<Change, CommitStatus>> sync = configSync.sync(config, changes).subscribeAsCompletionStage();
        await().atMost(PipelineSupport.WAIT).pollInterval(Duration.ofMillis(5)).until(() -> coze.inFlightRequests() > 0);
        service.delete(config.id(), false).await().atMost(PipelineSupport.WAIT);
        assertThat(coze.inFlightRequests()).as("the create is still in flight after the delete").isPositive();
        sync.get(30, TimeUnit.SECONDS);

        support.start(); // the tracker, the janitor and the poller (the changes are unrouted now) run as usual
        await().atMost(PipelineSupport.WAIT).pollInterval(Duration.ofMillis(200)).until(() ->
                coze.inFlightRequests() == 0 && support.pending() == 0 && coze.documents(dataset).isEmpty()
                        && rowsOf(config.id()) == 0);
        // and it stays so: nothing in flight writes it back later
        await().pollDelay(Duration.ofSeconds(3)).until(() -> true);
        assertThat(coze.documentsCreated()).as("documents Coze created").isEqualTo(5);
        assertThat(coze.documents(dataset)).isEmpty();
        assertThat(rowsOf(config.id())).isZero();
    }

    private long rowsOf(long configId) {
        return support.db().count("SELECT COUNT(*) FROM synced_documents WHERE config_id = ?", configId)
                + support.db().count("SELECT COUNT(*) FROM coze_documents WHERE config_id = ?", configId)
                + support.db().count("SELECT COUNT(*) FROM sync_failures WHERE config_id = ?", configId);
    }
}
