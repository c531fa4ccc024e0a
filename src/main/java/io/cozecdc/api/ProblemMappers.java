package io.cozecdc.api;

import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
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

    private static final Pattern VALUE_KIND = Pattern.compile("from ([a-z-]+) value", Pattern.CASE_INSENSITIVE);
    private final HttpLimits limits;

    public ProblemMappers(HttpLimits limits) {
        this.limits = limits;
    }

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
        Set<String> allowed = status == 405 ? AllowedMethods.of(uri.getPath()) : Set.of();
        String detail = switch (status) {
            case 400 -> "the request could not be read: " + safe(e.getMessage());
            case 404 -> "no such resource";
            case 405 -> allowed.isEmpty() ? "this method is not allowed here"
                    : "this method is not allowed here; " + uri.getPath() + " accepts " + String.join(", ", allowed);
            case 406 -> "no acceptable representation: this resource answers with "
                    + (uri.getPath().endsWith("/trigger-sql") ? "text/plain" : "application/json")
                    + "; send an Accept header that allows it (or none)";
            case 413 -> "the body is too large; at most " + limits.describeBodyLimit() + " is accepted";
            case 415 -> "unsupported content type; send application/json"
                    + (uri.getPath().endsWith("/import") ? " or application/yaml" : "");
            default -> title;
        };
        Response.ResponseBuilder answer = builder(new ApiException(status, title.toLowerCase().replace(' ', '-'), title, detail, null), uri);
        if (!allowed.isEmpty()) {
            answer.header(HttpHeaders.ALLOW, String.join(", ", allowed));
        }
        return answer.build();
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
        if (e instanceof MismatchedInputException m) {
            // valid JSON (or YAML) of the wrong shape: say what was expected, not that the JSON is broken
            return ApiException.badRequest(expected(m) + ", not " + found(m));
        }
        return ApiException.badRequest("the body is not valid JSON (" + safe(e.getOriginalMessage()) + ")");
    }

    /** What the body as a whole should have been, from the type Jackson was asked for. */
    private static String expected(MismatchedInputException m) {
        Class<?> target = m.getTargetType();
        if (target != null && (target.isArray() || java.util.Collection.class.isAssignableFrom(target))) {
            return "expected a JSON array as the body";
        }
        if (target != null && (target == String.class || target.isPrimitive() || Number.class.isAssignableFrom(target))) {
            return "expected a JSON value as the body";
        }
        return "expected a JSON object as the body";
    }

    /** What the body as a whole was, in words: an array, a string, a number, … */
    private static String found(MismatchedInputException m) {
        JsonToken token = m.getProcessor() instanceof JsonParser parser ? parser.currentToken() : null;
        if (token == null) {
            // the parser has moved on (scalars go through a creator): Jackson's message names the kind
            Matcher kind = VALUE_KIND.matcher(String.valueOf(m.getOriginalMessage()));
            return !kind.find() ? "an empty document" : switch (kind.group(1).toLowerCase(java.util.Locale.ROOT)) {
                case "array" -> "an array";
                case "string" -> "a string";
                case "boolean" -> "a boolean";
                case "number", "integer", "int", "long", "double", "floating-point" -> "a number";
                default -> "something else";
            };
        }
        return switch (token) {
            case START_ARRAY, END_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> "something else";
        };
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
        return builder(e, uri).build();
    }

    private static Response.ResponseBuilder builder(ApiException e, UriInfo uri) {
        return Response.status(e.status()).type(Problem.MEDIA_TYPE).entity(Problem.of(e, uri.getPath()));
    }
}
