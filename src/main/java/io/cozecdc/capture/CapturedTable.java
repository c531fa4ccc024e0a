package io.cozecdc.capture;

import java.time.Instant;

/**
 * A row of capture_tables.
 *
 * @param columnsHash  {@link TableSchema#columnsHash()} of the table when its triggers were generated
 * @param triggersHash {@link InstalledTrigger#hashOf} of the trigger bodies as stored right after install
 */
public record CapturedTable(String table, String keyColumn, String columnsHash, String triggersHash, Instant installedAt) {
}
