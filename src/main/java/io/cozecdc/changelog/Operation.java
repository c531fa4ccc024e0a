package io.cozecdc.changelog;

/** What a change-log row records. SNAPSHOT rows come from a backfill and carry a target config. */
public enum Operation {
    INSERT, UPDATE, DELETE, SNAPSHOT;

    /** True when the row is gone after this change. */
    public boolean isDelete() {
        return this == DELETE;
    }
}
