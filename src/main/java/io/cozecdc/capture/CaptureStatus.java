package io.cozecdc.capture;

import java.time.Instant;

/**
 * A captured table and the state of its triggers.
 *
 * @param table       table name
 * @param keyColumn   the key column recorded at install
 * @param installedAt when the triggers were (re)installed
 * @param state       installed, missing or drifted
 * @param detail      why the state is not INSTALLED; empty otherwise
 */
public record CaptureStatus(String table, String keyColumn, Instant installedAt, TriggerState state, String detail) {
}
