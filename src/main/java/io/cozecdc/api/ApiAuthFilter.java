package io.cozecdc.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every /api/v1 call needs {@code Authorization: Bearer <CDC_API_TOKEN>}, compared in constant time.
 * Health, metrics and the OpenAPI document stay open for probes and scrapers.
 */
public class ApiAuthFilter {

    static final String PREFIX = "/api/";
    private final ApiSettings config;
    private final byte[] expected;

    public ApiAuthFilter(ApiSettings config) {
        this.config = config;
        this.expected = config.token().filter(t -> !t.isBlank())
                .map(t -> ("Bearer " + t).getBytes(StandardCharsets.UTF_8)).orElse(null);
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getRequestUri().getRawPath();
        // decided on the path as the router resolves it: /q/%2e%2e/api/… is an API call too
        if (!(path.startsWith(PREFIX) || ApiPaths.isApi(path)) || (expected == null && config.open())) {
            return Optional.empty();
        }
        if (expected == null) {
            // dev mode without a token: open, as announced at startup
            return Optional.empty();
        }
        String given = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        byte[] presented = given == null ? new byte[0] : given.getBytes(StandardCharsets.UTF_8);
        if (MessageDigest.isEqual(presented, expected)) {
            return Optional.empty();
        }
        ApiException e = new ApiException(401, "unauthorized", "Unauthorized",
                given == null ? "this API needs the header Authorization: Bearer <CDC_API_TOKEN>" : "the token is not valid", null);
        return Optional.of(Response.status(401).type(Problem.MEDIA_TYPE)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"coze-cdc\"")
                .entity(Problem.of(e, path)).build());
    }
}
