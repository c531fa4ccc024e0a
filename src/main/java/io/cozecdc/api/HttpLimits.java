package io.cozecdc.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The HTTP layer's size limits, answered as problem+json instead of an empty body: a declared body
 * over {@code quarkus.http.limits.max-body-size} is a 413 that says the limit, a request target over
 * {@link #MAX_URI} characters a 414. Runs before Quarkus's own limit handler and before the token check.
 * (The codec's own line limit, {@code quarkus.http.limits.max-initial-line-length}, is set well above
 * {@link #MAX_URI} so such requests reach this handler; a body sent chunked without a length is still
 * cut off by Quarkus, with an empty 413.)
 */
@ApplicationScoped
public class HttpLimits {

    /** Longest request target (path and query) accepted, in characters. */
    public static final int MAX_URI = 4096;

    private final long maxBody;
    private final ObjectMapper json;

    public HttpLimits(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBody, ObjectMapper json) {
        this.maxBody = maxBody.asLongValue();
        this.json = json;
    }

    void install(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::check);
    }

    /** The body limit in the user's terms, e.g. "2 MB (2097152 bytes)". */
    public String describeBodyLimit() {
        long mb = 1024 * 1024;
        String human = maxBody % mb == 0 ? maxBody / mb + " MB" : maxBody % 1024 == 0 ? maxBody / 1024 + " KB" : maxBody + " bytes";
        return human + " (" + maxBody + " bytes)";
    }

    private void check(RoutingContext ctx) {
        String uri = ctx.request().uri();
        if (uri != null && uri.length() > MAX_URI) {
            refuse(ctx, new ApiException(414, "uri-too-long", "URI Too Long", "the request target is " + uri.length()
                    + " characters long; at most " + MAX_URI + " are accepted", null), false);
            return;
        }
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && tooLong(length)) {
            refuse(ctx, new ApiException(413, "too-large", "Content Too Large", "the body is " + length
                    + " bytes; at most " + describeBodyLimit() + " is accepted", null), true);
            return;
        }
        ctx.next();
    }

    private boolean tooLong(String length) {
        try {
            return Long.parseLong(length.trim()) > maxBody;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private void refuse(RoutingContext ctx, ApiException e, boolean close) {
        String path = ctx.request().path();
        String shownPath = path == null ? "" : path.length() > 200 ? path.substring(0, 200) + "…" : path;
        String body;
        try {
            body = json.writeValueAsString(Problem.of(e, shownPath));
        } catch (JsonProcessingException impossible) {
            body = "{\"status\":" + e.status() + "}";
        }
        var response = ctx.response().setStatusCode(e.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if (close) {
            // the unread body would otherwise be taken for the next request
            response.putHeader(HttpHeaders.CONNECTION, "close");
            response.endHandler(v -> ctx.request().connection().close());
        }
        response.end(body);
    }
}
