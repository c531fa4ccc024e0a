package io.cozecdc.testing.coze;

import java.time.Instant;

/**
 * Snapshot of one document held by {@link FakeCoze}.
 *
 * @param documentId    19-digit document id, as returned to clients
 * @param datasetId     id of the dataset the document lives in
 * @param name          document name sent at creation
 * @param content       the decoded (UTF-8) text of {@code file_base64}
 * @param status        0 processing, 1 done, 9 failed
 * @param failureReason the {@code status_descript} when {@code status == 9}, otherwise {@code null}
 * @param createdAt     instant the create call was applied
 */
public record FakeDocument(String documentId, String datasetId, String name, String content, int status,
        String failureReason, Instant createdAt) {

    /** Status of a document still being processed. */
    public static final int PROCESSING = 0;
    /** Status of a document whose processing finished. */
    public static final int DONE = 1;
    /** Status of a document whose processing failed. */
    public static final int FAILED = 9;
}
