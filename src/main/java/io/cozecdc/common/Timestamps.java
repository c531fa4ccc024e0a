package io.cozecdc.common;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * Conversions between {@link Instant} and the {@link LocalDateTime} the MySQL client exchanges.
 * Every session of ours runs in UTC (see {@link SessionSettingsPoolCreator}), so a TIMESTAMP read
 * or written as LocalDateTime is UTC.
 */
public final class Timestamps {

    private Timestamps() {
    }

    /** An instant as a UTC LocalDateTime, truncated to the columns' millisecond precision. */
    public static LocalDateTime toDb(Instant instant) {
        return instant == null ? null : LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC);
    }

    /** A UTC LocalDateTime read from a TIMESTAMP column, as an instant. */
    public static Instant fromDb(LocalDateTime value) {
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }
}
