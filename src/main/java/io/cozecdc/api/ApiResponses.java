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

    public static final String PARAMETER_EXAMPLE = """
            {"type":"urn:coze-cdc:problem:validation","title":"Invalid request","status":400,\
            "detail":"2 fields are invalid","instance":"/api/v1/failures",\
            "errors":[{"field":"configId","message":"must be a whole number from 1 to 9223372036854775807, not 'abc'"},\
            {"field":"size","message":"must be a whole number from 1 to 500, not '5000'"}]}""";
    public static final String ID_EXAMPLE = """
            {"type":"urn:coze-cdc:problem:validation","title":"Invalid request","status":400,\
            "detail":"id: must be a whole number from 1 to 9223372036854775807, not 'abc'","instance":"/api/v1/sync-configs/abc",\
            "errors":[{"field":"id","message":"must be a whole number from 1 to 9223372036854775807, not 'abc'"}]}""";
    public static final String UNAUTHORIZED_EXAMPLE = """
            {"type":"urn:coze-cdc:problem:unauthorized","title":"Unauthorized","status":401,\
            "detail":"this API needs the header Authorization: Bearer <CDC_API_TOKEN>","instance":"/api/v1/sync-configs"}""";
    public static final String CONFIG_NOT_FOUND_EXAMPLE = """
            {"type":"urn:coze-cdc:problem:not-found","title":"Not found","status":404,\
            "detail":"no sync configuration with id 42","instance":"/api/v1/sync-configs/42"}""";
    public static final String FAILURE_NOT_FOUND_EXAMPLE = """
            {"type":"urn:coze-cdc:problem:not-found","title":"Not found","status":404,\
            "detail":"no failure with id 42","instance":"/api/v1/failures/42"}""";
    public static final String TABLE_NOT_FOUND_EXAMPLE = """
            {"type":"urn:coze-cdc:problem:not-found","title":"Not found","status":404,\
            "detail":"table orders is not captured","instance":"/api/v1/tables/orders"}""";
    public static final String CONFLICT_EXAMPLE = """
            {"type":"urn:coze-cdc:problem:conflict","title":"Conflict","status":409,\
            "detail":"a sync configuration named 'products-public' already exists (id 1)","instance":"/api/v1/sync-configs"}""";
    public static final String DISABLED_EXAMPLE = """
            {"type":"urn:coze-cdc:problem:conflict","title":"Conflict","status":409,\
            "detail":"sync configuration 'products-public' is disabled; enable it first","instance":"/api/v1/sync-configs/1/resync"}""";
    public static final String TABLE_IN_USE_EXAMPLE = """
            {"type":"urn:coze-cdc:problem:conflict","title":"Conflict","status":409,\
            "detail":"table products is used by enabled sync configurations [products-public]; disable or delete them first",\
            "instance":"/api/v1/tables/products"}""";
    public static final String CAPTURE_REFUSED_EXAMPLE = """
            {"type":"urn:coze-cdc:problem:database-refuses-capture","title":"The database refuses capture triggers","status":409,\
            "detail":"Binary logging is on and the user cdc has neither SUPER nor SET_USER_ID, so CREATE TRIGGER is refused \
            (error 1419). Set log_bin_trust_function_creators = 1 (RDS: 参数设置; CDB: 参数模板).","instance":"/api/v1/tables"}""";
    public static final String TABLE_INVALID_EXAMPLE = """
            {"type":"urn:coze-cdc:problem:validation","title":"Invalid request","status":400,\
            "detail":"table: Table 'orders' has no primary key","instance":"/api/v1/tables",\
            "errors":[{"field":"table","message":"Table 'orders' has no primary key"}]}""";

    private ApiResponses() {
    }
}
