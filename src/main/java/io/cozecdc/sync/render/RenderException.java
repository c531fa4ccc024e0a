package io.cozecdc.sync.render;

/** A row could not be rendered (its template failed): a permanent failure for that record. */
public class RenderException extends RuntimeException {

    public RenderException(String message, Throwable cause) {
        super(message, cause);
    }
}
