package io.cozecdc.changelog;

import java.time.Instant;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One captured row change.
 *
 * @param logId          data_change_logs.id: orders changes; newer wins
 * @param table          the captured table
 * @param recordKey      the row's key as text
 * @param operation      insert, update, delete or snapshot
 * @param data           the row (NEW for insert/update/snapshot, OLD for delete); may be null
 * @param capturedAt     when the trigger wrote the row
 * @param targetConfigId for SNAPSHOT rows, the only config they go to; null otherwise
 */
public record Change(long logId, String table, String recordKey, Operation operation, ObjectNode data,
        Instant capturedAt, Long targetConfigId) {

    /** Short form for logs: never the row's content. */
    public String describe() {
        return table + "/" + recordKey + " #" + logId + " " + operation;
    }
}
