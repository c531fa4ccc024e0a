package io.cozecdc.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import io.cozecdc.changelog.Change;
import io.cozecdc.changelog.ChangeData;
import io.cozecdc.changelog.Operation;
import io.cozecdc.configs.SyncConfig;
import io.cozecdc.failures.FailureRecord;
import io.cozecdc.failures.FailureRepository;
import io.cozecdc.failures.FailureStatus;
import io.cozecdc.testing.InjectFakeCoze;
import io.cozecdc.testing.PipelineSupport;
import io.cozecdc.testing.coze.FakeCoze;

/**
 * The retry queue keeps a record's newest failed change. Failures can be committed out of order (two
 * batches in flight, or a retry racing the poller, as a Coze outage showed in OutageIT): an older one
 * must never take the newer one's place, or the newer content is lost.
 */
@QuarkusTest
class FailureOrderTest {

    private static final String KEY = "0f0e0d0c-0000-4000-8000-000000000001";

    @Inject
    PipelineSupport support;
    @Inject
    SyncCommitter committer;
    @Inject
    FailureRepository failures;
    @InjectFakeCoze
    FakeCoze coze;

    SyncConfig config;

    @BeforeEach
    void setUp() {
        support.reset();
        config = support.config("order", "products", coze.createDataset("order-kb"), List.of("id", "name"), null);
    }

    @AfterEach
    void tearDown() {
        support.reset();
    }

    @Test
    void anOlderFailureCommittedAfterANewerOneIsStaleAndLeavesTheNewerQueued() {
        Map<Change, CommitStatus> newer = commitFailure(200, "newer");
        Map<Change, CommitStatus> older = commitFailure(100, "older");

        assertThat(newer).containsValue(CommitStatus.RETRYING);
        assertThat(older).containsValue(CommitStatus.STALE);
        assertQueued(200, "newer");
    }

    @Test
    void theQueueKeepsTheNewerChangeEvenWhenTwoWritesRace() {
        // as two commits that both read "no open failure" would write: the newer lands first
        failures.upsert(failures.pool(), List.of(failure(200, "newer"))).await().atMost(PipelineSupport.WAIT);
        failures.upsert(failures.pool(), List.of(failure(100, "older"))).await().atMost(PipelineSupport.WAIT);
        assertQueued(200, "newer");

        // the same change failing again still counts its attempt
        FailureRecord again = failure(200, "newer");
        failures.upsert(failures.pool(), List.of(new FailureRecord(0, again.configId(), again.logId(), again.tableName(),
                again.recordKey(), again.operation(), again.payload(), again.errorCode(), again.errorMessage(), again.logid(),
                2, again.nextAttemptAt(), again.status(), again.capturedAt(), again.createdAt(), again.updatedAt())))
                .await().atMost(PipelineSupport.WAIT);
        assertThat(support.db().scalar("SELECT attempts FROM sync_failures WHERE record_key = ?", KEY)).isEqualTo(2);
    }

    private Map<Change, CommitStatus> commitFailure(long logId, String name) {
        Change change = change(logId, name);
        return committer.commit(config, List.of(new Outcome.Failed(change, 5000, "Coze is down", null, false, false)))
                .await().atMost(PipelineSupport.WAIT).statuses();
    }

    private FailureRecord failure(long logId, String name) {
        Change c = change(logId, name);
        Instant now = Instant.now();
        return new FailureRecord(0, config.id(), logId, c.table(), c.recordKey(), c.operation().name(), c.data(), 5000,
                "Coze is down", null, 1, now, FailureStatus.RETRYING, c.capturedAt(), now, now);
    }

    private static Change change(long logId, String name) {
        return new Change(logId, "products", KEY, Operation.UPDATE,
                ChangeData.parse("{\"id\": \"" + KEY + "\", \"name\": \"" + name + "\"}"), Instant.now(), null);
    }

    private void assertQueued(long logId, String name) {
        List<Map<String, Object>> rows = support.db().query("SELECT log_id, payload, status FROM sync_failures WHERE record_key = ?", KEY);
        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(((Number) row.get("log_id")).longValue()).isEqualTo(logId);
            assertThat((String) row.get("payload")).contains(name);
            assertThat(row.get("status")).isEqualTo("RETRYING");
        });
    }
}
