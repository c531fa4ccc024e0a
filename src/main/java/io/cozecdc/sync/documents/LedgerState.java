package io.cozecdc.sync.documents;

/** Where a document the service created stands in Coze. */
public enum LedgerState {
    /** Created; Coze has not finished processing it (status 0). */
    PROCESSING,
    /** Processed (status 1): the bot can find it. */
    DONE,
    /** No longer wanted (replaced, row deleted, lost a race, or failed processing): to be deleted from Coze. */
    OBSOLETE
}
