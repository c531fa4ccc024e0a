package io.cozecdc.sync;

/** How a change ended after the commit; also the {@code outcome} tag of cdc_changes_processed_total. */
public enum CommitStatus {
    /** A new document was created and accepted (Coze is processing it). */
    SYNCED,
    /** Coze already held this content: no call was needed. */
    UNCHANGED,
    /** The record's documents are being deleted. */
    DELETED,
    /** A newer change of the record had already been accepted. */
    STALE,
    /** Failed; will be tried again. */
    RETRYING,
    /** Failed for good: a dead letter. */
    DEAD,
    /** Held because the configuration is in ERROR. */
    HELD,
    /** No enabled configuration wants the table. */
    UNROUTED;

    public String tag() {
        return name().toLowerCase();
    }
}
