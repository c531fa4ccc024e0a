package io.cozecdc.capture;

import java.time.Instant;

/** A row of capture_tables. */
public record CapturedTable(String table, String keyColumn, String columnsHash, Instant installedAt) {
}
