package io.cozecdc.api;

import java.util.List;
import java.util.stream.Collectors;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import io.quarkus.logging.Log;

/**
 * The one place errors become HTTP answers, all as application/problem+json. Bad input is a 400 that
 * says which field and why; nothing leaks class names or stack traces.
 */
public class ProblemMappers {

    @ServerExceptionMapper
    public Response api(ApiException e, UriInfo uri) {
        return respond(e, uri);
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, UriInfo uri) {
        return respond(fromJson(e), uri);
    }

    /** Quarkus has its own mapper for this type; ours must be declared for it to win. */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e, UriInfo uri) {
        return respond(fromJson(e), uri);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        Throwable cause = e.getCause();
        if (cause instanceof JsonProcessingException json) {
            return respond(fromJson(json), uri);
        }
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        String title = Response.Status.fromStatusCode(status) == null ? "Error" : Response.Status.fromStatusCode(status).getReasonPhrase();
        String detail = switch (status) {
            case 400 -> "the request could not be read: " + safe(e.getMessage());
            case 404 -> "no such resource";
            case 405 -> "this method is not allowed here";
            case 406 -> "no acceptable representation";
            case 415 -> "unsupported content type; send application/json";
            default -> title;
        };
        return respond(new ApiException(status, title.toLowerCase().replace(' ', '-'), title, detail, null), uri);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        Log.errorf(e, "Unexpected error on %s", uri.getPath());
        return respond(new ApiException(500, "internal", "Internal error",
                "the service could not complete the request; see its log", null), uri);
    }

    /** A JSON or YAML reading error as the 400 the API answers with. */
    public static ApiException fromJsonProblem(JsonProcessingException e) {
        return fromJson(e);
    }

    static ApiException fromJson(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            return ApiException.invalid(path(u), "unknown field");
        }
        if (e instanceof InvalidFormatException f) {
            return ApiException.invalid(path(f), "has the wrong type or format");
        }
        if (e instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
            return ApiException.invalid(path(m), "has the wrong type");
        }
        return ApiException.badRequest("the body is not valid JSON (" + safe(e.getOriginalMessage()) + ")");
    }

    private static String path(JsonMappingException e) {
        List<JsonMappingException.Reference> refs = e.getPath();
        if (refs.isEmpty()) {
            return "body";
        }
        return refs.stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    /** First line of a parser message, without location dumps or class names. */
    private static String safe(String message) {
        if (message == null) {
            return "unreadable input";
        }
        String line = message.lines().findFirst().orElse("").replaceAll("\\(class [^)]*\\)", "").replaceAll("[a-z]+(\\.[a-z]+)+\\.[A-Z]\\w*", "value");
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

    private static Response respond(ApiException e, UriInfo uri) {
        return Response.status(e.status()).type(Problem.MEDIA_TYPE).entity(Problem.of(e, uri.getPath())).build();
    }
}
