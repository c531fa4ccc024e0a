package io.cozecdc.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;

import io.cozecdc.sink.KnowledgeBase;
import io.cozecdc.sink.SinkException;
import io.cozecdc.sync.documents.DocumentNames;

/**
 * The resolver's listing scan while the dataset changes under it. Coze pages by position, and the service
 * keeps deleting replaced documents while an intent resolver pages through the listing (oldest first, as
 * Coze and the fake list): every deletion of an older document moves the younger ones one place towards
 * page 1. A document the scan has not read yet must not slip past it (onto page 1, read first, or off an
 * emptied last page): its intent would be closed as "Coze holds no such document", and with reconciliation
 * off the document stays a second copy of its row for good (IntentChaosIT under load).
 */
class IntentListingScanTest {

    private static final long DATASET = 7;
    private static final int PAGE = 100;

    @Test
    void aDocumentThatSlidesFromPageTwoOntoPageOneWhileTheScanRunsIsFound() {
        Instant now = Instant.now();
        Listing coze = new Listing(now, 150, 105);
        // before page 2 is read, 10 older documents are deleted: the one sought moves from place 105 to 95
        coze.deleteOldestBeforeCall(2, 10);

        Map<String, List<String>> found = resolver(coze).find(DATASET, Set.of(coze.soughtName), now.minus(Duration.ofMinutes(2)))
                .await().atMost(Duration.ofSeconds(5));

        assertThat(found).as("list calls %s", coze.calls).containsEntry(coze.soughtName, List.of(coze.soughtId));
    }

    @Test
    void aLastPageEmptiedByDeletionsDoesNotEndTheScan() {
        Instant now = Instant.now();
        Listing coze = new Listing(now, 201, 150);
        // the first page says 201 documents (3 pages); before the last page is read, 5 are deleted: page 3 is empty
        coze.deleteOldestBeforeCall(2, 5);

        Map<String, List<String>> found = resolver(coze).find(DATASET, Set.of(coze.soughtName), now.minus(Duration.ofMinutes(2)))
                .await().atMost(Duration.ofSeconds(5));

        assertThat(found).as("list calls %s", coze.calls).containsEntry(coze.soughtName, List.of(coze.soughtId));
    }

    @Test
    void aServerThatServesShorterPagesThanAskedIsReadToItsLastPage() {
        Instant now = Instant.now();
        Listing coze = new Listing(now, 150, 140);
        // Coze documents no maximum page size: this one serves 30 documents whatever is asked, counting its pages in 30
        coze.cap = 30;

        Map<String, List<String>> found = resolver(coze).find(DATASET, Set.of(coze.soughtName), now.minus(Duration.ofMinutes(2)))
                .await().atMost(Duration.ofSeconds(5));

        assertThat(found).as("list calls %s", coze.calls).containsEntry(coze.soughtName, List.of(coze.soughtId));
        assertThat(coze.calls).as("page 1, then the last page in the size served").startsWith(1, 5);
    }

    private static IntentResolver resolver(KnowledgeBase coze) {
        return new IntentResolver(null, coze, null, null, null, null, null, null, null, null, null, null);
    }

    /** A dataset listed oldest first, by position, whose oldest documents can be deleted between two list calls. */
    private static final class Listing implements KnowledgeBase {

        final List<ListedDocument> documents = new ArrayList<>();
        final List<Integer> calls = new ArrayList<>();
        final String soughtName;
        final String soughtId;
        private int deleteAtCall = -1;
        /** The most documents one answer carries (pages are counted in it), whatever size is asked. */
        int cap = Integer.MAX_VALUE;
        private int deleteCount;

        Listing(Instant now, int count, int soughtAt) {
            for (int i = 0; i < count; i++) {
                String name = DocumentNames.name(1, 1000 + i, now.minusSeconds(30), "products", "row-" + i);
                documents.add(new ListedDocument("doc-" + i, name, DocumentProgress.DONE));
            }
            soughtName = documents.get(soughtAt).name();
            soughtId = documents.get(soughtAt).documentId();
        }

        /** Before the {@code call}-th list call (1-based), the {@code count} oldest documents are deleted. */
        void deleteOldestBeforeCall(int call, int count) {
            deleteAtCall = call;
            deleteCount = count;
        }

        @Override
        public Uni<DocumentPage> list(long datasetId, int page, int size) {
            calls.add(page);
            if (calls.size() == deleteAtCall) {
                documents.subList(0, deleteCount).clear();
            }
            int served = Math.min(size, cap);
            int from = Math.min(documents.size(), (page - 1) * served);
            int to = Math.min(documents.size(), from + served);
            return Uni.createFrom().item(new DocumentPage(List.copyOf(documents.subList(from, to)), documents.size()));
        }

        @Override
        public Limits limits() {
            return new Limits(10, 100, PAGE, 15_728_640, 2000, 4);
        }

        @Override
        public Uni<List<CreatedDocument>> create(long datasetId, List<NewDocument> documents) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Uni<Void> delete(List<String> documentIds) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Uni<List<DocumentProgress>> progress(long datasetId, List<String> documentIds) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isDryRun() {
            return false;
        }

        @Override
        public boolean isNotFound(SinkException failure) {
            return false;
        }

        @Override
        public boolean isThrottled(SinkException failure) {
            return false;
        }

        @Override
        public long requestBytes(List<NewDocument> documents) {
            return 0;
        }
    }
}
