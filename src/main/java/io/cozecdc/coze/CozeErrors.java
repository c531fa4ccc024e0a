package io.cozecdc.coze;

import java.util.Set;

import io.cozecdc.sink.SinkErrorKind;
import io.cozecdc.sink.SinkException;

/**
 * The one place that decides what a Coze failure means. Coze reports errors in the body's
 * {@code code}; HTTP statuses are undocumented, so both are looked at.
 */
public final class CozeErrors {

    /** Codes Coze documents as "try again later". */
    static final Set<Integer> RETRYABLE_CODES = Set.of(4009, 4013, 4102, 5000);
    /** Codes that stop a whole configuration: bad or under-privileged token, dataset gone. */
    /** Coze's code for a resource that does not exist. */
    static final int NOT_FOUND = 4200;
    static final Set<Integer> CONFIGURATION_CODES = Set.of(4100, 4101, 4200, 700012006);
    /** Codes that say the token itself is refused: invalid, expired, wrong region, missing permission. */
    static final Set<Integer> AUTH_CODES = Set.of(4100, 4101, 700012006, 401, 403);
    /** Codes that say this request is wrong: bad parameters, bad file. */
    static final Set<Integer> PERMANENT_CODES = Set.of(4000, 4300, 4301, 4302, 4303, 4304);

    private CozeErrors() {
    }

    /** Classifies an answer with a non-zero body code (or a non-2xx status without one). */
    public static SinkException fromAnswer(int httpStatus, Integer bodyCode, String message, String logid) {
        int code = bodyCode != null ? bodyCode : httpStatus;
        return new SinkException(kindOf(httpStatus, bodyCode), code, httpStatus,
                message == null || message.isBlank() ? "HTTP " + httpStatus : message, logid, false);
    }

    /** True when Coze refused the token rather than one configuration's dataset or one record. */
    public static boolean isAuthFailure(SinkException e) {
        return e.kind() == SinkErrorKind.CONFIGURATION && AUTH_CODES.contains(e.code());
    }

    /** Codes that say Coze is refusing calls for their number: system ceiling reached, rate limited. */
    static final Set<Integer> THROTTLE_CODES = Set.of(4009, 4013);

    /** True when Coze refused the call because of how many calls it gets (HTTP 429, codes 4009, 4013). */
    public static boolean isThrottled(SinkException e) {
        return e.httpStatus() == 429 || THROTTLE_CODES.contains(e.code());
    }

    /** Classifies a call that got no answer: I/O errors and timeouts are retryable. */
    public static SinkException fromTransport(Throwable error, boolean timedOut) {
        String what = timedOut ? "no answer within the request timeout" : "connection failed: " + describe(error);
        // after a timeout the request may have reached Coze and been applied
        return new SinkException(SinkErrorKind.RETRYABLE, SinkException.NO_ANSWER, 0, what, null, timedOut);
    }

    /** Coze's "resource not found" (4200). */
    static boolean isNotFound(SinkException e) {
        return e.code() == NOT_FOUND;
    }

    static SinkErrorKind kindOf(int httpStatus, Integer bodyCode) {
        if (bodyCode != null && bodyCode != 0) {
            if (RETRYABLE_CODES.contains(bodyCode)) {
                return SinkErrorKind.RETRYABLE;
            }
            if (CONFIGURATION_CODES.contains(bodyCode)) {
                return SinkErrorKind.CONFIGURATION;
            }
            if (PERMANENT_CODES.contains(bodyCode)) {
                return SinkErrorKind.PERMANENT;
            }
            // an undocumented code: let the HTTP status decide
        }
        if (httpStatus == 429 || httpStatus >= 500 || httpStatus == 408) {
            return SinkErrorKind.RETRYABLE;
        }
        if (httpStatus == 401 || httpStatus == 403 || httpStatus == 404) {
            return SinkErrorKind.CONFIGURATION;
        }
        return SinkErrorKind.PERMANENT;
    }

    private static String describe(Throwable error) {
        String message = error.getMessage();
        return error.getClass().getSimpleName() + (message == null ? "" : " " + message);
    }
}
