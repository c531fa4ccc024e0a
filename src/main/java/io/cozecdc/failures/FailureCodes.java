package io.cozecdc.failures;

/** Error codes the service itself gives failures that did not come from a Coze answer. */
public final class FailureCodes {

    /** The row could not be rendered (template error). */
    public static final int RENDER_FAILED = -2;
    /** The rendered row does not fit Coze's 15 MB request limit. */
    public static final int TOO_LARGE = -3;
    /** Coze failed to process the document (status 9). */
    public static final int PROCESSING_FAILED = -4;
    /** Coze did not finish processing the document in time. */
    public static final int PROCESSING_TIMEOUT = -5;
    /** The configuration is in ERROR; the change is held until it recovers. */
    public static final int CONFIG_ERROR = -6;
    /** The record's state changed while it was being committed; it is simply tried again. */
    public static final int CONFLICT = -7;
    /**
     * The related rows of a configuration with relations could not be read: a deadlock or a lock wait
     * timeout (a business transaction held them too long). Tried again; never an attempt, never a dead letter.
     */
    public static final int RELATED_ROWS_LOCKED = -8;
    /**
     * An earlier create of the same record and content has no known outcome yet (its answer was lost, or
     * its sender died before committing): the change waits for the create intents' resolver instead of
     * creating a second document. Never an attempt, never a dead letter.
     */
    public static final int CREATE_UNRESOLVED = -9;

    private FailureCodes() {
    }
}
