package io.cozecdc.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.OpenAPIV3Parser;

import io.cozecdc.configs.SyncConfigRepository;
import io.cozecdc.testing.Api;
import io.cozecdc.testing.InjectFakeCoze;
import io.cozecdc.testing.PipelineSupport;
import io.cozecdc.testing.coze.FakeCoze;
import io.cozecdc.testing.hostile.Hostile;
import io.cozecdc.testing.http.RawHttp;

/**
 * A fuzzer driven by the service's own OpenAPI document: for every operation, random and boundary values
 * for every path and query parameter and every body field, wrong content types, malformed and oversized
 * bodies, and path tricks (encoded slashes, dot segments, encoded letters). Every answer must be a
 * deliberate one (no 5xx, problem+json for errors, no stack trace, no token), a rejected request must
 * leave the database and Coze exactly as they were, and nothing reaches the API without the token.
 */
@QuarkusTest
class ApiFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String TOKEN = Api.TOKEN;
    private static final Duration BUDGET = Duration.ofSeconds(Long.getLong("fuzz.seconds", 6));

    @TestHTTPResource("/")
    URL root;
    @Inject
    AgroalDataSource dataSource;
    @Inject
    SyncConfigRepository configs;
    @InjectFakeCoze
    FakeCoze coze;

    @Inject
    PipelineSupport support;
    RawHttp http;
    String dataset;
    long requests;
    final java.util.SortedMap<Integer, Integer> statuses = new java.util.TreeMap<>();
    OpenAPI openApi;

    @BeforeEach
    void setUp() {
        support.reset();
        http = new RawHttp("127.0.0.1", root.getPort());
        dataset = coze.createDataset("fuzz");
        // something to find, change and delete
        Api.api().body(Api.config("fuzz-products", "products", dataset, "[\"id\",\"name\"]")).post("/api/v1/sync-configs")
                .then().statusCode(201);
        support.insertProduct("FZ-1", "fuzz widget", "1.00", null, 1);
    }

    @AfterEach
    void tearDown() {
        support.reset();
        System.out.printf("[fuzz] %d requests, answers by status: %s%n", requests, statuses);
    }

    @Test
    void everyOperationAnswersRandomAndBoundaryInputDeliberatelyAndRejectionsChangeNothing() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        System.out.printf("[fuzz] seed %d (replay with -Dfuzz.seed=%d)%n", seed, seed);
        Random r = new Random(seed);
        OpenAPI api = new OpenAPIV3Parser().readContents(http.send("GET", "/q/openapi?format=json", null, null).body()).getOpenAPI();
        openApi = api;
        List<String> operations = new ArrayList<>();
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((m, op) -> operations.add(m + " " + path)));
        assertThat(operations).hasSizeGreaterThanOrEqualTo(20);

        long deadline = System.nanoTime() + BUDGET.toNanos();
        int round = 0;
        // every operation gets its boundary cases (rounds 0 and 1), then random rounds: at least four, more
        // while the time budget lasts (at most 40 in all). A slow machine still sends well over 500 requests
        while (round < 40 && (round < 6 || System.nanoTime() < deadline)) {
            for (Map.Entry<String, PathItem> path : api.getPaths().entrySet()) {
                for (Map.Entry<PathItem.HttpMethod, Operation> op : path.getValue().readOperationsMap().entrySet()) {
                    fuzzOperation(api, op.getKey().name(), path.getKey(), op.getValue(), r, round, seed);
                }
            }
            round++;
        }
        assertThat(requests).isGreaterThan(500);
    }

    @Test
    void pathTricksNeverReachTheApiWithoutTheToken() {
        List<String> targets = List.of("/api/v1/sync-configs", "//api/v1/sync-configs", "/api//v1/sync-configs",
                "/api/v1/./sync-configs", "/api/v1/x/../sync-configs", "/q/../api/v1/sync-configs",
                "/q/health/../../api/v1/sync-configs", "/q/%2e%2e/api/v1/sync-configs", "/q/%2E%2E/api/v1/sync-configs",
                "/q%2F..%2Fapi/v1/sync-configs", "/%2e/api/v1/sync-configs", "/./api/v1/sync-configs", "/%61pi/v1/sync-configs",
                "/%41PI/v1/sync-configs", "/API/v1/sync-configs", "/api%2Fv1%2Fsync-configs", "/api/v1/sync-configs;x=y",
                "/api;x=y/v1/sync-configs", "/api/v1/sync-configs%00", "/api/v1/sync-configs/", "/api/v1/sync-configs?../../q",
                "/api/v1/sync-configs#frag", "/q/health/%2e%2e%2f%2e%2e%2fapi/v1/sync-configs", "/api\\v1\\sync-configs",
                "/q/metrics/../../api/v1/changes/pending", "/%2fapi/v1/changes/pending", "/api/v1/tables/products%2F..%2F..%2Fchanges%2Fpending",
                "http://127.0.0.1:" + root.getPort() + "/api/v1/sync-configs", "/api/v1/sync-configs/export",
                "/api/v1/maintenance/cleanup", "/api/v1/failures", "/ api/v1/sync-configs", "/api/v1/changes/pending?token=" + TOKEN);
        List<Map<String, String>> badAuth = new ArrayList<>();
        badAuth.add(Map.of());
        badAuth.add(Map.of("Authorization", "Bearer " + TOKEN.substring(0, TOKEN.length() - 1)));
        badAuth.add(Map.of("Authorization", "Bearer " + TOKEN + "x"));
        badAuth.add(Map.of("Authorization", "Bearer"));
        badAuth.add(Map.of("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(("x:" + TOKEN).getBytes())));
        badAuth.add(Map.of("Authorization", TOKEN));
        badAuth.add(Map.of("Authorization", "Bearer " + TOKEN.toUpperCase()));
        badAuth.add(Map.of("X-Api-Token", TOKEN, "X-Forwarded-For", "127.0.0.1", "X-Original-URL", "/q/health"));
        badAuth.add(Map.of("Authorization", "Bearer " + TOKEN.replace('a', 'а'))); // Cyrillic a
        String before = fingerprint();
        for (String target : targets) {
            for (Map<String, String> headers : badAuth) {
                for (String method : List.of("GET", "POST", "DELETE", "PUT")) {
                    Map<String, String> h = new LinkedHashMap<>(headers);
                    h.put("Content-Type", "application/json");
                    RawHttp.Reply reply = http.send(method, target, h, "{}".getBytes(StandardCharsets.UTF_8));
                    requests++;
                    String what = method + " " + target + " with " + headers.keySet() + ": " + reply.status() + " " + reply.body();
                    assertThat(reply.status()).as(what).isGreaterThanOrEqualTo(300).isLessThan(500);
                    assertThat(reply.body()).as(what).doesNotContain(TOKEN).doesNotContain("\tat ");
                }
            }
        }
        assertThat(fingerprint()).as("state after unauthenticated requests").isEqualTo(before);
    }

    private void fuzzOperation(OpenAPI api, String method, String path, Operation op, Random r, int round, long seed) throws Exception {
        for (int i = 0; i < (round < 2 ? 8 : 3); i++) {
            String target = target(path, op, r, round);
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Authorization", "Bearer " + TOKEN);
            byte[] body = null;
            Schema<?> schema = bodySchema(api, op);
            int shape = r.nextInt(10);
            if (schema != null || method.equals("POST") || method.equals("PUT")) {
                headers.put("Content-Type", contentType(r));
                body = shape == 0 ? garbage(r) : JSON.writeValueAsBytes(value(api, schema, r, 0));
            } else if (r.nextInt(6) == 0) {
                headers.put("Content-Type", contentType(r));
                body = garbage(r);
            }
            send(method, target, headers, body, seed);
        }
    }

    private void send(String method, String target, Map<String, String> headers, byte[] body, long seed) {
        String before = fingerprint();
        RawHttp.Reply reply = http.send(method, target, headers, body);
        requests++;
        statuses.merge(reply.status(), 1, Integer::sum);
        String shown = target.length() > 300 ? target.substring(0, 300) + "…" : target;
        String what = method + " " + Hostile.visible(shown) + " " + headers.get("Content-Type") + " body "
                + (body == null ? "none" : Hostile.visible(new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8)))
                + " -> " + reply.status() + " " + reply.body().substring(0, Math.min(400, reply.body().length()))
                + " (replay with -Dfuzz.seed=" + seed + ")";
        assertThat(reply.status()).as(what).isLessThan(500);
        assertThat(reply.body()).as(what).doesNotContain(TOKEN).doesNotContain("\tat ").doesNotContainIgnoringCase("exception");
        if (reply.status() >= 400) {
            // 413, 414 and 431 come from the HTTP layer's size limits, and an empty 400 from its refusal of a
            // malformed request target (such as a bad percent-escape), before the API sees the request
            boolean httpLayer = reply.status() == 413 || reply.status() == 414 || reply.status() == 431
                    || reply.status() == 400 && reply.body().isEmpty() && reply.contentType().isEmpty();
            if (!httpLayer && (reply.status() != 404 && reply.status() != 405 || target.startsWith("/api/"))) {
                assertThat(reply.contentType()).as(what).startsWith("application/problem+json");
            }
            assertThat(fingerprint()).as("state after a rejected request: " + what).isEqualTo(before);
        }
    }

    /** The path with its parameters filled by hostile or boundary values, and random query parameters. */
    private String target(String path, Operation op, Random r, int round) {
        String filled = path;
        List<String> query = new ArrayList<>();
        for (Parameter p : op.getParameters() == null ? List.<Parameter>of() : op.getParameters()) {
            String value = paramValue(p.getName(), r);
            if ("path".equals(p.getIn())) {
                filled = filled.replace("{" + p.getName() + "}", value);
            } else if ("query".equals(p.getIn()) && r.nextInt(4) > 0) {
                query.add(encode(p.getName()) + "=" + value);
            }
        }
        if (r.nextInt(8) == 0) {
            query.add(encode(Hostile.text(r, 10, 40)) + "=" + encode(Hostile.text(r, 30, 120)));
        }
        return filled + (query.isEmpty() ? "" : "?" + String.join("&", query));
    }

    private String paramValue(String name, Random r) {
        List<String> common = List.of("", "%00", "%2F", "..", "%2e%2e", "..%2F..%2Fq%2Fhealth", "%25", "%zz", "%E2%80%8B",
                encode(Hostile.text(r, 40, 160)), "x".repeat(5000));
        List<String> specific = switch (name) {
            case "id", "configId" -> List.of("1", idOfFirstConfig(), "0", "-1", "9223372036854775807", "9223372036854775808",
                    "-9223372036854775809", "1e3", "1.5", "0x10", "%D9%A1", "+1", "%201", "1%20", "01", "NaN", "null");
            case "table" -> List.of("products", "suppliers", "nope", "data_change_logs", "sync_configs", "cdc_schema_history",
                    "%60products%60", "products%3BDROP%20TABLE%20products", "information_schema.tables", "mysql.user",
                    "..%2Fproducts", "PRODUCTS", "x".repeat(65));
            case "keepDocuments" -> List.of("true", "false", "TRUE", "yes", "1", "", "null");
            case "status" -> List.of("DEAD", "RETRYING", "dead", "ALL", "", "DEAD%27%20OR%201%3D1");
            case "page", "size" -> List.of("1", "0", "-1", "500", "501", "2147483647", "2147483648", "99999999999999999999", "1.5", "a");
            default -> List.of("1", "true");
        };
        return r.nextInt(3) == 0 ? Hostile.pick(r, common) : Hostile.pick(r, specific);
    }

    private String idOfFirstConfig() {
        List<Map<String, Object>> rows = support.db().query("SELECT MIN(id) AS id FROM sync_configs");
        Object id = rows.isEmpty() ? null : rows.get(0).get("id");
        return id == null ? "1" : id.toString();
    }

    private static Schema<?> bodySchema(OpenAPI api, Operation op) {
        if (op.getRequestBody() == null || op.getRequestBody().getContent() == null) {
            return null;
        }
        var media = op.getRequestBody().getContent().values().stream().findFirst().orElse(null);
        return media == null ? null : resolve(api, media.getSchema());
    }

    private static Schema<?> resolve(OpenAPI api, Schema<?> schema) {
        if (schema != null && schema.get$ref() != null) {
            String name = schema.get$ref().substring(schema.get$ref().lastIndexOf('/') + 1);
            return api.getComponents().getSchemas().get(name);
        }
        return schema;
    }

    /** A value for a schema: mostly plausible with one hostile field, sometimes wholly wrong. */
    private JsonNode value(OpenAPI api, Schema<?> schema, Random r, int depth) {
        schema = resolve(api, schema);
        if (schema == null || depth > 4) {
            return hostileScalar(r);
        }
        if (r.nextInt(8) == 0) {
            return hostileScalar(r);
        }
        String type = schema.getType() != null ? schema.getType()
                : schema.getTypes() != null && !schema.getTypes().isEmpty() ? schema.getTypes().iterator().next() : "object";
        switch (type) {
            case "object" -> {
                ObjectNode o = F.objectNode();
                if (schema.getProperties() != null) {
                    schema.getProperties().forEach((name, prop) -> {
                        if (r.nextInt(6) > 0) {
                            o.set(name, r.nextInt(3) == 0 ? value(api, prop, r, depth + 1) : plausible(name, resolve(api, prop), r));
                        }
                    });
                }
                if (r.nextInt(6) == 0) {
                    o.set(Hostile.text(r, 12, 48), hostileScalar(r));
                }
                return o;
            }
            case "array" -> {
                ArrayNode a = F.arrayNode();
                boolean long_ = r.nextInt(10) == 0;
                int n = long_ ? 1000 + r.nextInt(2000) : r.nextInt(4);
                for (int i = 0; i < n; i++) {
                    a.add(long_ ? hostileScalar(r) : value(api, schema.getItems(), r, depth + 1));
                }
                return a;
            }
            case "integer", "number" -> {
                return Hostile.pick(r, List.of(F.numberNode(0), F.numberNode(-1), F.numberNode(Long.MAX_VALUE), F.numberNode(Long.MIN_VALUE),
                        F.numberNode(new java.math.BigInteger("99999999999999999999999")), F.numberNode(1.5), F.numberNode(1e308),
                        F.textNode("1")));
            }
            case "boolean" -> {
                return Hostile.pick(r, List.of(F.booleanNode(true), F.booleanNode(false), F.textNode("true"), F.numberNode(1), F.nullNode()));
            }
            default -> {
                // now and then a string near or over the 2 MB body limit (only near the top, so bodies stay bounded)
                return F.textNode(depth <= 1 && r.nextInt(5) == 0 ? "x".repeat(r.nextInt(2_500_000)) : Hostile.text(r, 200, 800));
            }
        }
    }

    /** A value that could be accepted, so some requests succeed and state moves on. */
    private JsonNode plausible(String name, Schema<?> schema, Random r) {
        return switch (name) {
            case "name" -> F.textNode("fz-" + r.nextInt(1000) + (r.nextBoolean() ? Hostile.text(r, 20, 80) : ""));
            case "tableName", "table" -> F.textNode(Hostile.pick(r, List.of("products", "suppliers", "inventory_records", "nope")));
            case "datasetId" -> F.textNode(r.nextBoolean() ? dataset : Long.toString(Math.abs(r.nextLong())));
            case "fields" -> {
                ArrayNode a = F.arrayNode();
                if (r.nextBoolean()) {
                    a.add("id");
                    a.add("name");
                }
                yield a;
            }
            case "template" -> F.textNode(Hostile.pick(r, List.of("{name}", "{name", "{#for x in y}", "{cdc.key}: {name}",
                    "{#include /etc/passwd}", "{name.getClass().forName('java.lang.Runtime')}", Hostile.text(r, 50, 200))));
            case "enabled" -> F.booleanNode(r.nextBoolean());
            default -> value(openApi, schema, r, 3);
        };
    }

    private static JsonNode hostileScalar(Random r) {
        return Hostile.pick(r, List.of(F.nullNode(), F.textNode(""), F.numberNode(-1), F.booleanNode(true), F.arrayNode(), F.objectNode(),
                F.textNode("\u0000"), F.textNode(Hostile.text(r, 30, 120)), F.numberNode(new java.math.BigDecimal("1e400"))));
    }

    private static String contentType(Random r) {
        return Hostile.pick(r, List.of("application/json", "application/json", "application/json", "application/json; charset=utf-8",
                "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                "application/json; charset=utf-16", "application/yaml", "*/*", "application/problem+json", "application/octet-stream"));
    }

    private static byte[] garbage(Random r) {
        return switch (r.nextInt(10)) {
            case 0 -> new byte[0];
            case 1 -> "{".getBytes(StandardCharsets.UTF_8);
            case 2 -> "[".repeat(100_000).getBytes(StandardCharsets.UTF_8);
            case 3 -> ("{\"name\":\"" + "x".repeat(3 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
            case 4 -> new byte[] {(byte) 0xff, (byte) 0xfe, (byte) 0xc3, 0x28, '{', '}'};
            case 5 -> "{\"name\":\"a\",\"name\":\"b\"}".getBytes(StandardCharsets.UTF_8);
            case 6 -> "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>".getBytes(StandardCharsets.UTF_8);
            case 7 -> "null".getBytes(StandardCharsets.UTF_8);
            case 8 -> ("{\"a\":" + "1".repeat(2000) + "}").getBytes(StandardCharsets.UTF_8);
            default -> "name: x\ntableName: products\n".getBytes(StandardCharsets.UTF_8);
        };
    }

    /** Everything a request could change: the service's tables, the triggers, and the documents in Coze. */
    private String fingerprint() {
        StringBuilder sb = new StringBuilder();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("CHECKSUM TABLE sync_configs, capture_tables, sync_failures, synced_documents, "
                    + "coze_documents, data_change_logs, backfill_jobs, products, suppliers, inventory_records")) {
                while (rs.next()) {
                    sb.append(rs.getString(1)).append('=').append(rs.getString(2)).append(';');
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT trigger_name, MD5(action_statement) FROM information_schema.triggers "
                    + "WHERE trigger_schema = DATABASE() ORDER BY trigger_name")) {
                while (rs.next()) {
                    sb.append(rs.getString(1)).append(':').append(rs.getString(2)).append(';');
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE()")) {
                rs.next();
                sb.append("tables=").append(rs.getLong(1)).append(';');
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        coze.allDocuments().forEach(d -> sb.append(d.documentId()).append(','));
        return sb.toString();
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
