package io.cozecdc.testing.coze;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import io.cozecdc.testing.coze.FakeCoze.Endpoint;

/**
 * Request pipeline: count → latency → auth → route → injected HTTP status → transport checks and
 * validation → injected code → apply → record → optional hold → write.
 */
final class CozeHandler implements HttpHandler {

    static final int MAX_BODY_BYTES = 15 * 1024 * 1024;

    private final Supplier<String> token;
    private final Faults faults;
    private final RequestLog log;
    private final DocumentApi api;
    private final LogIds logIds;

    CozeHandler(Supplier<String> token, Faults faults, RequestLog log, DocumentApi api, LogIds logIds) {
        this.token = token;
        this.faults = faults;
        this.log = log;
        this.api = api;
        this.logIds = logIds;
    }

    @Override
    public void handle(HttpExchange exchange) {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        Route route = Route.of(method, path);
        RequestLog.Arrival arrival = log.arrive(route.endpoint());
        boolean departed = false;
        try {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String logid = logIds.next();
            pause(faults.latencyFor(route.endpoint()));
            Headers headers = exchange.getRequestHeaders();
            Reply reply = answer(route, headers, body, logid);
            log.record(arrival, new RecordedRequest(arrival.at(), method, path, copy(headers),
                    new String(body, StandardCharsets.UTF_8), reply.httpStatus(), reply.code(), route.endpoint(), logid));
            pause(reply.hold());
            // no longer in flight once the answer goes out: a caller that has read it must not see it counted
            log.depart();
            departed = true;
            send(exchange, reply, logid);
        } catch (IOException e) {
            // the client went away (e.g. it timed out during a hold); nothing left to answer
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (!departed) {
                log.depart();
            }
            exchange.close();
        }
    }

    private Reply answer(Route route, Headers headers, byte[] body, String logid) {
        Endpoint endpoint = route.endpoint();
        if (faults.revoked() || !authorized(headers)) {
            return Reply.error(401, 4100, "authentication is invalid", logid);
        }
        if (endpoint == Endpoint.OTHER) {
            return Reply.error(404, 4200, "resource not found: no such API", logid);
        }
        if (faults.overQuota(System.nanoTime())) {
            return injectedStatus(429, logid);
        }
        OptionalInt status = faults.drawHttpStatus(endpoint);
        if (status.isPresent()) {
            return injectedStatus(status.getAsInt(), logid);
        }
        try {
            checkTransport(route, headers, body);
            DocumentApi.Command command = api.prepare(route, JsonFields.parseObject(body));
            OptionalInt code = faults.drawCode(endpoint);
            if (code.isPresent()) {
                return Reply.error(200, code.getAsInt(), messageFor(code.getAsInt()), logid);
            }
            Duration hold = faults.drawHold(endpoint);
            ObjectNode payload = command.execute();
            return Reply.success(payload, logid).withHold(hold);
        } catch (ApiException e) {
            return Reply.error(e.httpStatus(), e.code(), e.getMessage(), logid);
        } catch (RuntimeException e) {
            return Reply.error(500, 5000, "fake Coze internal error: " + e, logid);
        }
    }

    private boolean authorized(Headers headers) {
        String expected = token.get();
        return expected != null && ("Bearer " + expected).equals(headers.getFirst("Authorization"));
    }

    private static void checkTransport(Route route, Headers headers, byte[] body) {
        if (body.length > MAX_BODY_BYTES) {
            throw ApiException.badRequest("request body too large: " + body.length + " bytes, limit "
                    + MAX_BODY_BYTES);
        }
        String contentType = headers.getFirst("Content-Type");
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw ApiException.badRequest("Content-Type must be application/json, got " + contentType);
        }
        if (route.needsJsConv() && !"str".equals(headers.getFirst("Agw-Js-Conv"))) {
            throw ApiException.badRequest("header Agw-Js-Conv: str is required, got "
                    + headers.getFirst("Agw-Js-Conv"));
        }
    }

    private static Reply injectedStatus(int status, String logid) {
        switch (status) {
            case 502:
                return Reply.html(status, "Bad Gateway");
            case 503:
                return Reply.html(status, "Service Temporarily Unavailable");
            case 504:
                return Reply.html(status, "Gateway Time-out");
            case 429:
                return Reply.error(status, 4013, "request rate exceeded, please retry later", logid);
            case 400:
                return Reply.error(status, 4000, "invalid parameter", logid);
            case 401:
                return Reply.error(status, 4100, "authentication is invalid", logid);
            case 403:
                return Reply.error(status, 4101, "permission denied", logid);
            case 404:
                return Reply.error(status, 4200, "resource not found", logid);
            default:
                return status >= 500 ? Reply.html(status, "Server Error")
                        : Reply.error(status, 4000, "injected HTTP " + status, logid);
        }
    }

    private static String messageFor(int code) {
        switch (code) {
            case 4000:
                return "invalid parameter";
            case 4009:
                return "the system is busy, please retry later";
            case 4013:
                return "request rate exceeded, please retry later";
            case 4100:
                return "authentication is invalid";
            case 4101:
                return "the token has no permission for this resource";
            case 4102:
                return "request intercepted by risk control";
            case 4200:
                return "resource not found";
            case 5000:
                return "internal server error";
            default:
                return "injected error " + code;
        }
    }

    private static Map<String, String> copy(Headers headers) {
        Map<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            copy.put(e.getKey().toLowerCase(Locale.ROOT), String.join(", ", e.getValue()));
        }
        return Collections.unmodifiableMap(copy);
    }

    private static void pause(Duration d) throws InterruptedException {
        if (!d.isZero()) {
            Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
        }
    }

    private static void send(HttpExchange exchange, Reply reply, String logid) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", reply.contentType());
        exchange.getResponseHeaders().set("X-Tt-Logid", logid);
        exchange.sendResponseHeaders(reply.httpStatus(), reply.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(reply.body());
        }
    }
}
