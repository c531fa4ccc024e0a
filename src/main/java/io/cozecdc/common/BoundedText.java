package io.cozecdc.common;

/**
 * Fits outside text (Coze's messages, database errors) into a bounded VARCHAR column. MySQL and MariaDB
 * count a utf8mb4 VARCHAR in characters (code points), and strict mode refuses a longer value ("Data
 * too long"), which would make the whole status write fail. So a longer text is cut by code points,
 * never inside a surrogate pair, and ends with {@link #MARK}.
 */
public final class BoundedText {

    /** Ends a text that was cut. */
    public static final String MARK = "…";
    /** coze_documents.state_reason, sync_configs.status_reason, backfill_jobs.error (characters). */
    public static final int REASON = 1000;
    /** sync_failures.error_message (characters). */
    public static final int ERROR_MESSAGE = 2000;
    /** sync_failures.logid (characters). */
    public static final int LOGID = 128;

    private BoundedText() {
    }

    /** {@code text} when it has at most {@code maxChars} code points, else its start and {@link #MARK}. */
    public static String cut(String text, int maxChars) {
        if (text == null || text.codePointCount(0, text.length()) <= maxChars) {
            return text;
        }
        int end = text.offsetByCodePoints(0, maxChars - MARK.codePointCount(0, MARK.length()));
        return text.substring(0, end) + MARK;
    }
}
