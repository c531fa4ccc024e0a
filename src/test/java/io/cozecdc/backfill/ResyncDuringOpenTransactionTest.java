package io.cozecdc.backfill;

import static io.cozecdc.testing.Api.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;

import io.cozecdc.configs.SyncConfig;
import io.cozecdc.testing.InjectFakeCoze;
import io.cozecdc.testing.PipelineSupport;
import io.cozecdc.testing.coze.FakeCoze;
import io.cozecdc.testing.coze.FakeDocument;

/**
 * Review finding 1: a resync while a business transaction is open on a second connection. The
 * transaction's trigger rows already have their ids; the copy must not write the rows' older state
 * under newer ids, nor bring back a row the transaction deletes.
 */
@QuarkusTest
class ResyncDuringOpenTransactionTest {

    @InjectFakeCoze
    FakeCoze coze;
    @Inject
    PipelineSupport support;
    @Inject
    AgroalDataSource dataSource;
    String dataset;

    @BeforeEach
    void setUp() {
        support.reset();
        dataset = coze.createDataset("resync-open-tx-kb");
    }

    @AfterEach
    void tearDown() {
        support.stop();
        coze.reset();
    }

    @Test
    void aResyncDuringAnOpenTransactionEndsWithItsCommittedResult() throws Exception {
        SyncConfig config = support.config("open-tx", "products", dataset, List.of("id", "name", "unit_price"), null);
        support.start();
        String updated = support.insertProduct("T1", "updated in tx", "1.00", null, 1);
        String deleted = support.insertProduct("T2", "deleted in tx", "1.00", null, 1);
        String untouched = support.insertProduct("T3", "untouched", "1.00", null, 1);
        awaitConverged();
        assertThat(support.documentsByKey(dataset, "id").keySet()).containsExactlyInAnyOrder(updated, deleted, untouched);

        try (Connection tx = dataSource.getConnection()) {
            tx.setAutoCommit(false);
            execute(tx, "UPDATE products SET unit_price = 2.00 WHERE id = ?", updated);
            execute(tx, "DELETE FROM products WHERE id = ?", deleted);

            api().post("/api/v1/sync-configs/" + config.id() + "/resync").then().statusCode(202);
            // the backfill worker reaches the rows while the transaction is open: its locking read of them waits
            // for the transaction (or, were the copy not to wait, the backfill ends meanwhile: the checks below judge it)
            await().atMost(PipelineSupport.WAIT).pollInterval(Duration.ofMillis(50)).until(() ->
                    copyWaitsForALock() || !"RUNNING".equals(api().get("/api/v1/sync-configs/" + config.id()).path("backfill.state")));
            tx.commit();
        }
        await().atMost(PipelineSupport.WAIT).until(() ->
                "DONE".equals(api().get("/api/v1/sync-configs/" + config.id()).path("backfill.state")));
        awaitConverged();

        Map<String, List<FakeDocument>> byKey = support.documentsByKey(dataset, "id");
        assertThat(byKey.keySet()).as("documents by row").containsExactlyInAnyOrder(updated, untouched);
        assertThat(byKey.get(updated)).singleElement()
                .satisfies(d -> assertThat(d.content()).contains("unit_price: 2.00\n"));
        assertThat(byKey.get(untouched)).singleElement()
                .satisfies(d -> assertThat(d.content()).contains("unit_price: 1.00\n"));
    }

    /** A statement of the backfill copy (a locking read of products) is waiting for a row lock. */
    private boolean copyWaitsForALock() {
        return support.db().count("SELECT COUNT(*) FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT' "
                + "AND trx_query LIKE '%products%' AND trx_query LIKE '%LOCK IN SHARE MODE%'") > 0;
    }

    private static void execute(Connection tx, String sql, String id) throws Exception {
        try (PreparedStatement statement = tx.prepareStatement(sql)) {
            statement.setString(1, id);
            statement.executeUpdate();
        }
    }

    private void awaitConverged() {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() ->
                support.pending() == 0
                        && support.db().count("SELECT COUNT(*) FROM coze_documents WHERE state <> 'DONE'") == 0
                        && support.db().count("SELECT COUNT(*) FROM sync_failures") == 0);
    }
}
