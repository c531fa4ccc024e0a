package io.cozecdc.backfill;

/** Where a backfill stands. */
public enum BackfillState {
    RUNNING, DONE, CANCELLED, FAILED
}
