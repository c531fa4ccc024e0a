package io.cozecdc.capture;

/** A trigger as information_schema.TRIGGERS reports it. */
public record InstalledTrigger(String name, String event, String body) {
}
