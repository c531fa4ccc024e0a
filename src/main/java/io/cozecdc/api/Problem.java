package io.cozecdc.api;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem document. {@code errors} lists invalid fields for validation problems.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@Schema(name = "Problem", description = "An error, as application/problem+json (RFC 9457)")
public record Problem(
        @Schema(description = "Kind of problem", example = "urn:coze-cdc:problem:validation") String type,
        @Schema(description = "Short summary", example = "Invalid request") String title,
        @Schema(description = "HTTP status", example = "400") int status,
        @Schema(description = "What went wrong, for a human", example = "datasetId: must be a positive 64-bit integer written as a string") String detail,
        @Schema(description = "The request path", example = "/api/v1/sync-configs") String instance,
        @Schema(description = "Invalid fields (validation problems only)") List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    static final String TYPE_PREFIX = "urn:coze-cdc:problem:";

    public static Problem of(ApiException e, String path) {
        return new Problem(TYPE_PREFIX + e.type(), e.title(), e.status(), e.getMessage(), path, e.errors());
    }
}
