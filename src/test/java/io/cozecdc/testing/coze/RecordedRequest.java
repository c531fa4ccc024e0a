package io.cozecdc.testing.coze;

import java.time.Instant;
import java.util.Map;

/**
 * One HTTP request received by {@link FakeCoze} together with the answer it got.
 *
 * @param at         arrival instant
 * @param method     HTTP method
 * @param path       raw request path (no query string)
 * @param headers    request headers; keys are lower-case and lookups are case-insensitive,
 *                   repeated headers are joined with {@code ", "}
 * @param body       request body decoded as UTF-8
 * @param httpStatus HTTP status of the answer
 * @param code       body {@code code} of the answer, or -1 when the answer was not JSON (injected 502 page)
 * @param endpoint   which endpoint the request addressed
 * @param logid      the request id sent back (X-Tt-Logid header and detail.logid)
 */
public record RecordedRequest(Instant at, String method, String path, Map<String, String> headers, String body,
        int httpStatus, int code, FakeCoze.Endpoint endpoint, String logid) {
}
