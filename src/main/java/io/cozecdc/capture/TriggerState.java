package io.cozecdc.capture;

/** Whether a captured table's triggers are what the service would generate for it now. */
public enum TriggerState {
    /** All three triggers exist and match the table's current columns. */
    INSTALLED,
    /** At least one trigger (or the table itself) is gone. */
    MISSING,
    /** The triggers exist but the table changed since they were generated, or they were edited. */
    DRIFTED
}
