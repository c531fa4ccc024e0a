package io.cozecdc.api;

import java.util.ArrayList;
import java.util.List;

import jakarta.ws.rs.core.UriInfo;

/**
 * Strict reading of query and path parameters. JAX-RS would read {@code keepDocuments=maybe} as
 * false (and so delete documents) and a non-numeric id as a 404; here anything but {@code true} or
 * {@code false}, or a whole number in range, is an error naming the parameter, the value given and
 * what it accepts. Errors are collected, then {@link #check()} reports them all in one 400, before
 * any value is used: a malformed flag never falls back to its (possibly destructive) default.
 *
 * <pre>
 * Params p = new Params(uriInfo);
 * long configId = p.id("id", rawId);
 * boolean keep = p.bool("keepDocuments", rawKeep, false);
 * p.check();
 * </pre>
 */
public final class Params {

    /** Longest part of a bad value echoed back. */
    static final int ECHO = 40;

    private final List<FieldError> errors = new ArrayList<>();
    private final UriInfo uri;

    /** For path parameters only. */
    public Params() {
        this(null);
    }

    /**
     * With the request's URI, so a query parameter given without a value ({@code ?dryRun}) or given
     * twice ({@code ?dryRun=true&dryRun=false}) is an error rather than absent or the first value.
     */
    public Params(UriInfo uri) {
        this.uri = uri;
    }

    /** {@code true} or {@code false} exactly; absent gives {@code absent}. */
    public boolean bool(String name, String given, boolean absent) {
        String raw = given(name, given);
        if (raw == null) {
            return absent;
        }
        if (raw.equals("true")) {
            return true;
        }
        if (raw.equals("false")) {
            return false;
        }
        return fail(name, raw, "true or false", absent);
    }

    /** A required resource id: a whole number from 1 to 9223372036854775807. */
    public long id(String name, String given) {
        String raw = given(name, given);
        if (raw == null || raw.isEmpty()) {
            errors.add(new FieldError(name, "is required: a whole number from 1 to " + Long.MAX_VALUE));
            return 0;
        }
        Long id = optionalId(name, raw);
        return id == null ? 0 : id;
    }

    /** An optional resource id; absent (or empty) gives null. */
    public Long optionalId(String name, String given) {
        String raw = given(name, given);
        if (raw == null) {
            return null;
        }
        long value = whole(raw);
        if (value < 1) {
            return fail(name, raw, "a whole number from 1 to " + Long.MAX_VALUE, null);
        }
        return value;
    }

    /** A whole number from {@code min} to {@code max}; absent gives {@code absent}. */
    public int integer(String name, String given, int absent, int min, int max) {
        String raw = given(name, given);
        if (raw == null) {
            return absent;
        }
        long value = whole(raw);
        if (value < min || value > max) {
            return fail(name, raw, "a whole number from " + min + " to " + max, absent);
        }
        return (int) value;
    }

    /** One of {@code accepted}, case-insensitive, returned as written in {@code accepted}; absent gives null. */
    public String oneOf(String name, String given, String... accepted) {
        String raw = given(name, given);
        if (raw == null) {
            return null;
        }
        for (String a : accepted) {
            if (a.equalsIgnoreCase(raw)) {
                return a;
            }
        }
        return fail(name, raw, String.join(" or ", accepted), null);
    }

    /** Reports every error collected so far as one 400 problem. */
    public void check() {
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
    }

    /** The value as given; "" for a query parameter present without a value; null when absent. */
    private String given(String name, String raw) {
        if (uri == null) {
            return raw;
        }
        List<String> values = uri.getQueryParameters().get(name);
        if (values == null || values.isEmpty()) {
            return raw;
        }
        if (values.size() > 1) {
            errors.add(new FieldError(name, "is given " + values.size() + " times; give it once"));
        }
        return values.get(0) == null ? "" : values.get(0);
    }

    /** Digits only, no sign, spaces or exponent; -1 when not such a number or beyond a long. */
    private static long whole(String raw) {
        if (raw.isEmpty() || raw.length() > 19 || !raw.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private <T> T fail(String name, String raw, String accepts, T fallback) {
        errors.add(new FieldError(name, "must be " + accepts + ", not " + echo(raw)));
        return fallback;
    }

    /** The value as given, quoted, shortened and with control characters shown as '?'. */
    static String echo(String raw) {
        if (raw.isEmpty()) {
            return "an empty value";
        }
        String shown = raw.length() > ECHO ? raw.substring(0, ECHO) + "…" : raw;
        StringBuilder out = new StringBuilder("'");
        shown.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return out.append('\'').toString();
    }
}
