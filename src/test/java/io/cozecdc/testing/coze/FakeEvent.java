package io.cozecdc.testing.coze;

import java.time.Instant;

/**
 * One state change of a document in {@link FakeCoze}, in the order they happened.
 *
 * @param at         when the change happened (for DONE/FAILED: the instant the processing delay elapsed)
 * @param type       what happened
 * @param documentId the document concerned
 * @param datasetId  the dataset it belongs to
 * @param name       the document's name
 * @param content    the document's text content
 */
public record FakeEvent(Instant at, Type type, String documentId, String datasetId, String name, String content) {

    /** Kinds of state change. */
    public enum Type {
        /** A create call registered the document (status 0). */
        CREATED,
        /** Processing finished (status 1). */
        DONE,
        /** Processing failed (status 9). */
        FAILED,
        /** A delete call removed the document. */
        DELETED
    }
}
