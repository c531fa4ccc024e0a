package io.cozecdc.sink;

/**
 * A failed Coze call: Coze's business code (or the HTTP status when there is none), its message,
 * its request id for support, and what kind of failure it is.
 */
public class SinkException extends RuntimeException {

    /** Code used when the call never got an answer (I/O error or timeout). */
    public static final int NO_ANSWER = -1;

    private final SinkErrorKind kind;
    private final int code;
    private final int httpStatus;
    private final String logid;
    private final boolean mayHaveApplied;

    public SinkException(SinkErrorKind kind, int code, int httpStatus, String message, String logid, boolean mayHaveApplied) {
        super(message);
        this.kind = kind;
        this.code = code;
        this.httpStatus = httpStatus;
        this.logid = logid;
        this.mayHaveApplied = mayHaveApplied;
    }

    public SinkErrorKind kind() {
        return kind;
    }

    /** Coze's body code, the HTTP status when the body had none, or {@link #NO_ANSWER}. */
    public int code() {
        return code;
    }

    /** HTTP status, 0 when there was no answer. */
    public int httpStatus() {
        return httpStatus;
    }

    /** Coze's request id (X-Tt-Logid / detail.logid), or null. */
    public String logid() {
        return logid;
    }

    /** True when Coze may have carried out the call although we saw no success (e.g. a timeout). */
    public boolean mayHaveApplied() {
        return mayHaveApplied;
    }

    public boolean isRetryable() {
        return kind == SinkErrorKind.RETRYABLE;
    }

    /** One line for logs and dead letters: code, message and logid; never a token. */
    public String describe() {
        return "code " + code + (httpStatus > 0 ? " (HTTP " + httpStatus + ")" : "") + ": " + getMessage()
                + (logid == null ? "" : " [logid " + logid + "]");
    }
}
