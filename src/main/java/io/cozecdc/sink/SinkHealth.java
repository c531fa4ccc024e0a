package io.cozecdc.sink;

import java.time.Instant;

/**
 * What the service knows about its knowledge base right now, from the outcome of every call. The
 * pipeline asks it before claiming work: while the knowledge base looks down nothing is claimed, so
 * the backlog waits in the change log instead of turning every change into a retry.
 */
public interface SinkHealth {

    /** True while calls should wait: the knowledge base looks down and the next probe is not due. */
    boolean holdBack();

    /** True after several retryable failures in a row with nothing succeeding. */
    boolean looksDown();

    /** Why the knowledge base refuses the service's credentials, or null when it does not. */
    String authRefusal();

    /** When a call last got a well-formed answer, or null. */
    Instant lastAnswer();

    /** The last failure, for health details. */
    String lastError();

    /** Retryable failures in a row. */
    int consecutiveFailures();
}
