package io.cozecdc.coze;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.test.junit.QuarkusTest;

import io.cozecdc.sink.KnowledgeBase;

/**
 * The dry-run sink keeps its documents across a restart, as Coze would, so they can be deleted later.
 * A QuarkusTest (the running application is reused) only because DryRunCoze logs through io.quarkus.logging.Log.
 */
@QuarkusTest
class DryRunCozeTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    static final KnowledgeBase.Limits LIMITS = new KnowledgeBase.Limits(10, 100, 100, 15_728_640, 2000, 4);

    @TempDir
    Path dir;

    @Test
    void documentsOfAnEarlierRunAreTakenBackListedAndDeletable() {
        DryRunCoze first = new DryRunCoze(dir, LIMITS);
        List<KnowledgeBase.CreatedDocument> created = first.create(42, List.of(new KnowledgeBase.NewDocument("cdc:1:7:1796171237:products:k1",
                "id: k1\n"))).await().atMost(WAIT);
        String id = created.get(0).documentId();
        Path file = dir.resolve("42").resolve(id + ".txt");
        assertThat(file).exists();

        DryRunCoze restarted = new DryRunCoze(dir, LIMITS);
        KnowledgeBase.DocumentPage page = restarted.list(42, 1, 100).await().atMost(WAIT);
        assertThat(page.documents()).extracting(KnowledgeBase.ListedDocument::name).containsExactly("cdc:1:7:1796171237:products:k1");
        List<KnowledgeBase.CreatedDocument> next = restarted.create(42, List.of(new KnowledgeBase.NewDocument("cdc:1:8:1796171240:products:k2",
                "id: k2\n"))).await().atMost(WAIT);
        assertThat(Long.parseLong(next.get(0).documentId())).as("ids go on above the earlier run's").isGreaterThan(Long.parseLong(id));

        restarted.delete(List.of(id)).await().atMost(WAIT);
        assertThat(Files.exists(file)).as("the earlier run's file is deleted").isFalse();
    }
}
