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

import io.cozecdc.configs.ConfigRegistry;
import io.cozecdc.configs.SyncConfig;
import io.cozecdc.testing.InjectFakeCoze;
import io.cozecdc.testing.PipelineSupport;
import io.cozecdc.testing.coze.FakeCoze;

/**
 * Review finding 5: this process plays a replica whose view of the configurations is old. Another
 * replica (played by SQL, as its API would write it) enables a configuration; its clock is behind the
 * replica that last wrote a configuration, so updated_at does not move the table's newest timestamp.
 */
@QuarkusTest
class StaleRegistryTest {

    @InjectFakeCoze
    FakeCoze coze;
    @Inject
    PipelineSupport support;
    @Inject
    ConfigRegistry registry;
    @Inject
    io.cozecdc.configs.SyncConfigRepository configs;
    @Inject
    io.vertx.mutiny.sqlclient.Pool pool;
    @Inject
    io.cozecdc.backfill.BackfillRepository backfills;
    @Inject
    io.cozecdc.backfill.BackfillWorker backfillWorker;
    @Inject
    io.cozecdc.testing.JobTicker ticker;
    String dataset;
    SyncConfig late;

    @BeforeEach
    void setUp() {
        support.reset();
        dataset = coze.createDataset("stale-registry-kb");
        SyncConfig other = support.config("other", "suppliers", coze.createDataset("other-kb"), List.of("id", "name"), null);
        // the last write of a replica whose clock is an hour ahead
        support.db().update("UPDATE sync_configs SET updated_at = NOW(3) + INTERVAL 1 HOUR WHERE id = ?", other.id());
        late = support.config("late", "products", dataset, List.of("id", "name"), null);
        support.db().update("UPDATE sync_configs SET enabled = 0, status = 'PAUSED', updated_at = NOW(3) WHERE id = ?", late.id());
        registry.refresh().await().atMost(PipelineSupport.WAIT);
        assertThat(registry.forTable("products")).isEmpty();
    }

    @AfterEach
    void tearDown() {
        support.stop();
        coze.reset();
    }

    @Test
    void aConfigEnabledThroughAnotherReplicaReachesThisReplicasRegistry() {
        support.start();
        enableThroughAnotherReplica();

        await().atMost(Duration.ofSeconds(10)).until(() -> !registry.forTable("products").isEmpty());
    }

    @Test
    void aChangeWrittenRightAfterAnEnableThroughAnotherReplicaIsSynced() {
        support.start();
        enableThroughAnotherReplica();
        String id = support.insertProduct("S1", "right after the enable", "1.00", null, 1);

        await().atMost(PipelineSupport.WAIT).until(() -> support.pending() == 0
                && support.db().count("SELECT COUNT(*) FROM coze_documents WHERE state <> 'DONE'") == 0
                && !coze.documents(dataset).isEmpty());
        assertThat(support.documentsByKey(dataset, "id").keySet()).containsExactly(id);
    }

    /**
     * Another replica changes the template (its PUT, played by SQL) and a row changes right after: this
     * replica claims the change before its periodic refresh would see the edit. Rendered with the old
     * template, the document would stay old for good (nothing changes the row again). It must carry the
     * new template.
     */
    @Test
    void aChangeWrittenRightAfterAnEditThroughAnotherReplicaUsesTheEdit() {
        enableThroughAnotherReplica();
        registry.refresh().await().atMost(PipelineSupport.WAIT);
        support.start();
        for (int n = 0; n < 5; n++) {
            int i = n;
            String template = "id: {id}\nedit " + i + ": {name}";
            support.db().update("UPDATE sync_configs SET template = ?, updated_at = NOW(3) WHERE id = ?", template, late.id());
            String id = support.insertProduct("E" + i, "after edit " + i, "1.00", null, 1);
            await().atMost(PipelineSupport.WAIT).until(() -> support.documentsByKey(dataset, "id").containsKey(id));
            assertThat(support.documentsByKey(dataset, "id").get(id)).singleElement()
                    .satisfies(doc -> assertThat(doc.content()).contains("edit " + i + ": after edit " + i));
        }
    }

    /**
     * Another replica creates a configuration and starts its resync (played by the repositories, without
     * this replica's registry hearing of it); this replica's backfill worker takes the job before its periodic
     * refresh. It must run the resync, not cancel it as "disabled or deleted".
     */
    @Test
    void aResyncStartedThroughAnotherReplicaRightAfterItsCreateRuns() {
        support.insertProduct("B1", "to resync", "1.00", null, 1);
        // this replica's periodic refresh does not come around before its backfill worker takes the job
        ticker.hold("cdc-config-refresh");
        try {
            java.time.Instant now = java.time.Instant.now();
            SyncConfig fresh = configs.insert(pool, new SyncConfig(0, "fresh", "products", Long.parseLong(dataset), List.of("id"),
                    null, true, io.cozecdc.configs.ConfigStatus.ACTIVE, null, now, now)).await().atMost(PipelineSupport.WAIT);
            backfills.start(fresh.id(), 1, now).await().atMost(PipelineSupport.WAIT);
            assertThat(registry.byId(fresh.id())).as("this replica has not heard of the configuration yet").isEmpty();

            backfillWorker.stepAll().await().atMost(PipelineSupport.WAIT);

            assertThat(backfills.find(fresh.id()).await().atMost(PipelineSupport.WAIT).state())
                    .isNotEqualTo(io.cozecdc.backfill.BackfillState.CANCELLED);
            assertThat(support.db().count("SELECT COUNT(*) FROM data_change_logs WHERE operation_type = 'SNAPSHOT' "
                    + "AND target_config_id = ?", fresh.id())).isEqualTo(1);
        } finally {
            ticker.release("cdc-config-refresh");
        }
    }

    private void enableThroughAnotherReplica() {
        support.db().update("UPDATE sync_configs SET enabled = 1, status = 'ACTIVE', updated_at = NOW(3) WHERE id = ?", late.id());
    }
}
