package io.cozecdc.fanout;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A row of fanout_jobs: the documents of a configuration whose rows join, along {@code relationPath}, to the
 * changed row {@code table}/{@code recordKey} (with join column values {@code joinValues}) are to be rendered
 * again.
 *
 * @param lastKey the last parent key copied into the change log; null before the first chunk
 */
public record FanoutJob(long id, long configId, String relationPath, String table, String recordKey, ObjectNode joinValues,
        long sourceLogId, int generation, String lastKey, long documentsQueued) {

    /** Short form for logs. */
    public String describe() {
        return "fan-out #" + id + " (" + table + "/" + recordKey + " via " + relationPath + ", change #" + sourceLogId + ")";
    }

    /**
     * A fan-out to create (or start again) for a change.
     *
     * @param joinValues the changed row's columns on the relation's right-hand side (NEW data; OLD for a delete)
     */
    public record New(long configId, String relationPath, String table, String recordKey, ObjectNode joinValues, long sourceLogId) {
    }
}
