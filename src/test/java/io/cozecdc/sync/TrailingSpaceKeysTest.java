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

import io.cozecdc.capture.TriggerService;
import io.cozecdc.testing.InjectFakeCoze;
import io.cozecdc.testing.PipelineSupport;
import io.cozecdc.testing.coze.FakeCoze;
import io.cozecdc.testing.coze.FakeDocument;

/**
 * Issue 19, item 5: source keys that differ only in trailing spaces ('A1' and 'A1 ') are two rows in a
 * table whose key uses a NO PAD collation (MySQL 8's default utf8mb4_0900_ai_ci is one), so they are two
 * documents, each updated and deleted on its own. The service's record-key columns were PAD SPACE
 * (utf8mb4_bin) and made them one.
 */
@QuarkusTest
class TrailingSpaceKeysTest {

    @Inject
    PipelineSupport support;
    @Inject
    TriggerService triggers;
    @InjectFakeCoze
    FakeCoze coze;
    String dataset;

    @BeforeEach
    void setUp() {
        support.reset();
        dataset = coze.createDataset("codes-kb");
        support.db().execute("DROP TABLE IF EXISTS t_codes", "CREATE TABLE t_codes (code VARCHAR(20) CHARACTER SET utf8mb4 "
                + "COLLATE utf8mb4_nopad_bin PRIMARY KEY, name VARCHAR(40))");
        triggers.install("t_codes").await().atMost(PipelineSupport.WAIT);
    }

    @AfterEach
    void tearDown() {
        support.stop();
        triggers.remove("t_codes").await().atMost(PipelineSupport.WAIT);
        support.db().execute("DROP TABLE IF EXISTS t_codes");
    }

    @Test
    void keysDifferingOnlyInTrailingSpacesAreSeparateDocuments() {
        var config = support.config("codes", "t_codes", dataset, List.of("code", "name"), null);
        support.start();
        support.db().update("INSERT INTO t_codes VALUES ('A1', 'plain'), ('A1 ', 'spaced')");
        awaitConverged();
        assertThat(contents()).containsExactlyInAnyOrder("code: A1\nname: plain\n", "code: A1 \nname: spaced\n");
        assertThat(support.db().count("SELECT COUNT(*) FROM synced_documents WHERE config_id = ? AND document_id IS NOT NULL",
                config.id())).isEqualTo(2);

        support.db().update("UPDATE t_codes SET name = 'spaced again' WHERE code = 'A1 '");
        awaitConverged();
        assertThat(contents()).containsExactlyInAnyOrder("code: A1\nname: plain\n", "code: A1 \nname: spaced again\n");

        support.db().update("DELETE FROM t_codes WHERE code = 'A1'");
        awaitConverged();
        assertThat(contents()).containsExactly("code: A1 \nname: spaced again\n");
    }

    private List<String> contents() {
        return coze.documents(dataset).stream().map(FakeDocument::content).toList();
    }

    private void awaitConverged() {
        await().atMost(PipelineSupport.WAIT).pollInterval(Duration.ofMillis(100)).until(() ->
                support.pending() == 0
                        && support.db().count("SELECT COUNT(*) FROM coze_documents WHERE state <> 'DONE'") == 0
                        && support.db().count("SELECT COUNT(*) FROM sync_failures") == 0);
    }
}
