package io.cozecdc.sink;

import java.util.List;

import io.smallrye.mutiny.Uni;

/**
 * The sink SPI: a knowledge base that stores text documents, as the pipeline sees it. Documents are
 * created in calls of up to {@link Limits#documentsPerCreate()}, processed by the knowledge base
 * afterwards (followed with {@link #progress}), listed page by page and deleted by id. Failures
 * arrive as {@link SinkException}, classified by {@link SinkErrorKind}.
 *
 * <p>Implemented for Coze over HTTP ({@code coze.CozeClient}) and, for dev mode without a token, by
 * a dry-run sink that writes files ({@code coze.DryRunCoze}). Another knowledge base (the
 * self-hosted Coze Studio, say) is one more implementation, chosen where {@code coze.CozeApiProducer}
 * chooses today. Nothing outside its own package knows which implementation runs. A listing may
 * answer with fewer documents than asked: it pages on until it has read {@code total} documents or
 * gets an empty page, never stopping at a short page.
 */
public interface KnowledgeBase {

    /** Creates up to {@link Limits#documentsPerCreate()} text documents in a dataset; they are processed afterwards. */
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

    /** Deletes up to {@link Limits#idsPerCall()} documents. */
    Uni<Void> delete(List<String> documentIds);

    /**
     * One page (1-based) of a dataset's documents. Page {@code n} starts at document
     * {@code (n - 1) * size}; the page may hold fewer than {@code size} documents even when more follow.
     */
    Uni<DocumentPage> list(long datasetId, int page, int size);

    /** Processing progress of up to {@link Limits#idsPerCall()} documents of one dataset; unknown ids are absent. */
    Uni<List<DocumentProgress>> progress(long datasetId, List<String> documentIds);

    /** True when nothing is sent to a real knowledge base. */
    boolean isDryRun();

    /** True when a failed delete means the document no longer exists (so there is nothing left to delete). */
    boolean isNotFound(SinkException failure);

    /** True when the knowledge base asked the service to slow down: such a failure never counts as an attempt. */
    boolean isThrottled(SinkException failure);

    /** What one call may carry; the pipeline sizes its calls by these. */
    Limits limits();

    /** Bytes of the request that would create these documents (compared with {@link Limits#maxBodyBytes()}). */
    long requestBytes(List<NewDocument> documents);

    /**
     * What one call may carry.
     *
     * @param documentsPerCreate most documents per create call
     * @param idsPerCall most ids per delete or progress call
     * @param listPageSize page size the service asks for when listing
     * @param maxBodyBytes largest request body the knowledge base accepts
     * @param maxTokensPerDocument most tokens one document may have and still be one chunk
     * @param concurrency calls one replica runs side by side
     */
    record Limits(int documentsPerCreate, int idsPerCall, int listPageSize, long maxBodyBytes, int maxTokensPerDocument,
            int concurrency) {
    }

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
