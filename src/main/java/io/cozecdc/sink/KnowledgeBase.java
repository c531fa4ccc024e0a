package io.cozecdc.sink;

import java.util.List;

import io.smallrye.mutiny.Uni;

/**
 * The Coze knowledge operations the sync needs. Implemented over HTTP by {@link CozeClient} and, for
 * dev mode without a token, by {@link DryRunCoze}. Failures arrive as {@link SinkException}.
 */
public interface KnowledgeBase {

    /** Most documents one create call may carry (Coze's limit). */
    int MAX_DOCUMENTS_PER_CREATE = 10;
    /** Most ids one delete or progress call may carry. */
    int MAX_IDS_PER_CALL = 100;
    /**
     * Page size the service asks for when listing. Coze documents no maximum and may answer with fewer
     * documents than asked: a listing pages on until it has read {@code total} documents or gets an
     * empty page, never stopping at a short page.
     */
    int LIST_PAGE_SIZE = 100;

    /** Creates up to 10 text documents in a dataset; Coze processes them afterwards. */
    Uni<List<CreatedDocument>> create(long datasetId, List<NewDocument> documents);

    /**
     * Like {@link #create(long, List)}, but each attempt's documents come from {@code attempts} once the
     * attempt has its permit, and each failed attempt is reported to it. The answer lists the documents
     * of the attempt that succeeded.
     */
    default Uni<List<CreatedDocument>> create(long datasetId, CreateAttempts attempts) {
        return attempts.begin().chain(documents -> create(datasetId, documents))
                .onFailure(SinkException.class).call(e -> attempts.failed((SinkException) e));
    }

    /** Deletes up to 100 documents. */
    Uni<Void> delete(List<String> documentIds);

    /**
     * One page (1-based) of a dataset's documents. Page {@code n} starts at document
     * {@code (n - 1) * size}; the page may hold fewer than {@code size} documents even when more follow.
     */
    Uni<DocumentPage> list(long datasetId, int page, int size);

    /** Processing progress of up to 100 documents of one dataset; unknown ids are absent. */
    Uni<List<DocumentProgress>> progress(long datasetId, List<String> documentIds);

    /** True when nothing is sent to Coze. */
    boolean isDryRun();

    /** A document to create: its name and its UTF-8 text. */
    record NewDocument(String name, String content) {
    }

    /** A document Coze accepted. */
    record CreatedDocument(String documentId, String name) {
    }

    /** A document as listed. {@code status}: 0 processing, 1 done, 9 failed. */
    record ListedDocument(String documentId, String name, int status) {
    }

    /** One page of a listing and the dataset's total. */
    record DocumentPage(List<ListedDocument> documents, long total) {
    }

    /** Processing state of one document; {@code reason} is Coze's status_descript when it failed. */
    record DocumentProgress(String documentId, int status, String reason) {
        public static final int PROCESSING = 0;
        public static final int DONE = 1;
        public static final int FAILED = 9;
    }
}
