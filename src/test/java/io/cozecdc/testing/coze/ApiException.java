package io.cozecdc.testing.coze;

/** An error answer: HTTP status plus the Coze body {@code code} and {@code msg}. */
final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int httpStatus;
    private final int code;

    ApiException(int httpStatus, int code, String msg) {
        super(msg, null, false, false);
        this.httpStatus = httpStatus;
        this.code = code;
    }

    /** HTTP 400 with code 4000: the request is malformed. */
    static ApiException badRequest(String msg) {
        return new ApiException(400, 4000, msg);
    }

    /** HTTP 200 with code 4200: a named resource does not exist. */
    static ApiException notFound(String msg) {
        return new ApiException(200, 4200, msg);
    }

    int httpStatus() {
        return httpStatus;
    }

    int code() {
        return code;
    }
}
