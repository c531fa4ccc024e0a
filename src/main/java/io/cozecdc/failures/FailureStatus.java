package io.cozecdc.failures;

/** State of a failed record. */
public enum FailureStatus {
    /** Will be tried again at next_attempt_at. */
    RETRYING,
    /** Gave up (permanent error or attempts exhausted): waits for an operator to replay or discard it. */
    DEAD
}
