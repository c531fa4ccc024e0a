package io.cozecdc.sync;

import io.cozecdc.changelog.Change;
import io.cozecdc.sync.render.RenderedDocument;

/** What happened to one change on its way to Coze, before the commit decides whether it counts. */
public sealed interface Outcome {

    Change change();

    /** Coze accepted a new document for the change. */
    record Created(Change change, RenderedDocument document, String documentId) implements Outcome {
    }

    /** Coze already holds this content. */
    record Unchanged(Change change, RenderedDocument document) implements Outcome {
    }

    /** The record was deleted. */
    record Deleted(Change change) implements Outcome {
    }

    /**
     * The change could not be delivered.
     *
     * @param permanent retrying cannot help (dead letter at once)
     * @param held      the config is in ERROR: kept, not counted as an attempt
     * @param throttled Coze asked the service to slow down (HTTP 429, code 4009 or 4013): retried after
     *                  the usual backoff, not counted as an attempt
     */
    record Failed(Change change, Integer code, String message, String logid, boolean permanent, boolean held,
            boolean throttled) implements Outcome {

        public Failed(Change change, Integer code, String message, String logid, boolean permanent, boolean held) {
            this(change, code, message, logid, permanent, held, false);
        }
    }
}
