package io.cozecdc.api;

/** Shared descriptions for documented error responses. */
public final class ApiResponses {

    public static final String BAD_REQUEST = "Invalid input; the problem lists each invalid field";
    public static final String UNAUTHORIZED = "Missing or wrong bearer token";
    public static final String NOT_FOUND = "No such resource";
    public static final String CONFLICT = "The request clashes with the current state";
    public static final String VALIDATION_EXAMPLE = """
            {"type":"urn:coze-cdc:problem:validation","title":"Invalid request","status":400,\
            "detail":"2 fields are invalid","instance":"/api/v1/sync-configs",\
            "errors":[{"field":"datasetId","message":"must be a positive 64-bit integer written as a string, e.g. \\"7486431234567890123\\""},\
            {"field":"fields[1]","message":"'colour' is not a column of table products"}]}""";

    private ApiResponses() {
    }
}
