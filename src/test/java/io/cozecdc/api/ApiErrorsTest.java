package io.cozecdc.api;

import static io.cozecdc.testing.Api.api;
import static io.cozecdc.testing.Api.config;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.OpenAPIV3Parser;

import io.cozecdc.testing.Api;
import io.cozecdc.testing.InjectFakeCoze;
import io.cozecdc.testing.PipelineSupport;
import io.cozecdc.testing.coze.FakeCoze;
import io.cozecdc.testing.http.RawHttp;

/**
 * Malformed parameters and bodies, and the HTTP layer's refusals, each answered as a problem in the
 * caller's terms: which parameter, what was given, what is accepted.
 */
@QuarkusTest
class ApiErrorsTest {

    @InjectFakeCoze
    FakeCoze coze;
    @Inject
    PipelineSupport support;
    @TestHTTPResource("/")
    URL root;
    String dataset;

    @BeforeEach
    void setUp() {
        support.reset();
        dataset = coze.createDataset("errors");
    }

    @Test
    void malformedIdsAreA400NamingTheParameterNotA404() {
        for (String path : List.of("/api/v1/sync-configs/abc", "/api/v1/sync-configs/99999999999999999999",
                "/api/v1/sync-configs/-1", "/api/v1/sync-configs/0", "/api/v1/sync-configs/1.5", "/api/v1/failures/abc")) {
            api().get(path).then().statusCode(400).contentType("application/problem+json")
                    .body("type", equalTo("urn:coze-cdc:problem:validation"))
                    .body("errors", hasSize(1))
                    .body("errors[0].field", equalTo("id"))
                    .body("errors[0].message", startsWith("must be a whole number from 1 to 9223372036854775807, not '"));
        }
        api().post("/api/v1/sync-configs/x/enable").then().statusCode(400).body("errors[0].message", containsString("not 'x'"));
        api().body(config("c", "products", dataset, "[]")).put("/api/v1/sync-configs/x").then().statusCode(400)
                .body("errors[0].field", equalTo("id"));
        api().post("/api/v1/failures/retry?configId=abc").then().statusCode(400)
                .body("errors[0].field", equalTo("configId")).body("errors[0].message", containsString("not 'abc'"));
        api().post("/api/v1/failures/retry").then().statusCode(400).body("errors[0].field", equalTo("configId"))
                .body("errors[0].message", startsWith("is required"));
        // well-formed but unknown is still a 404
        api().get("/api/v1/sync-configs/9223372036854775807").then().statusCode(404);
    }

    @Test
    void everyBadParameterIsReportedAtOnce() {
        api().get("/api/v1/failures?configId=abc&status=ALL&page=0&size=5000").then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", equalTo("4 fields are invalid"))
                .body("errors.field", containsInAnyOrder("configId", "status", "page", "size"))
                .body("errors.find { it.field == 'size' }.message", equalTo("must be a whole number from 1 to 500, not '5000'"))
                .body("errors.find { it.field == 'status' }.message", equalTo("must be RETRYING or DEAD, not 'ALL'"));
        api().get("/api/v1/failures?size=abc").then().statusCode(400).body("errors[0].field", equalTo("size"));
        api().get("/api/v1/failures?configId=1&status=dead&page=2&size=10").then().statusCode(200)
                .body("page", equalTo(2)).body("size", equalTo(10));
        api().delete("/api/v1/sync-configs/abc?keepDocuments=maybe").then().statusCode(400)
                .body("errors.field", containsInAnyOrder("id", "keepDocuments"));
        api().delete("/api/v1/sync-configs/1?keepDocuments=true&keepDocuments=false").then().statusCode(400)
                .body("errors[0].field", equalTo("keepDocuments")).body("errors[0].message", equalTo("is given 2 times; give it once"));
        api().get("/api/v1/sync-configs/export?format=xml").then().statusCode(400)
                .body("errors[0].message", equalTo("must be json or yaml, not 'xml'"));
    }

    @Test
    void aMisspeltParameterIsRefusedNotIgnored() {
        int id = api().body(config("typo", "products", dataset, "[]")).post("/api/v1/sync-configs").then().statusCode(201)
                .extract().path("id");
        for (String typo : List.of("keepdocuments", "keepDocument", "keep_documents")) {
            api().queryParam(typo, "true").delete("/api/v1/sync-configs/" + id).then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors[0].field", equalTo(typo))
                    .body("errors[0].message", equalTo("is not a parameter of this operation; it takes keepDocuments"));
        }
        api().get("/api/v1/sync-configs/" + id).then().statusCode(200);
        api().get("/api/v1/changes/pending?verbose=true").then().statusCode(400)
                .body("errors[0].message", equalTo("is not a parameter of this operation; it takes none"));
        api().get("/api/v1/failures?size=10&pgae=2").then().statusCode(400).body("errors[0].field", equalTo("pgae"))
                .body("errors[0].message", equalTo("is not a parameter of this operation; it takes configId, page, size, status"));
    }

    @Test
    void aMalformedDryRunFlagImportsNothing() {
        String bundle = "{\"syncConfigs\":[" + config("imported", "products", dataset, "[]") + "]}";
        for (String typo : List.of("yes", "1", "on", "", "True")) {
            api().queryParam("dryRun", typo).body(bundle).post("/api/v1/sync-configs/import").then().statusCode(400)
                    .body("errors[0].field", equalTo("dryRun"))
                    .body("errors[0].message", startsWith("must be true or false, not "));
        }
        assertThat(support.db().count("SELECT COUNT(*) FROM sync_configs")).as("nothing imported").isZero();
        api().queryParam("dryRun", "true").body(bundle).post("/api/v1/sync-configs/import").then().statusCode(200)
                .body("dryRun", equalTo(true));
        assertThat(support.db().count("SELECT COUNT(*) FROM sync_configs")).isZero();
    }

    @Test
    void aBodyOfTheWrongShapeIsNamedAsSuch() {
        Map<String, String> shapes = Map.of("[]", "an array", "\"x\"", "a string", "42", "a number", "true", "a boolean");
        shapes.forEach((body, found) -> {
            api().body(body).post("/api/v1/sync-configs").then().statusCode(400).contentType("application/problem+json")
                    .body("detail", equalTo("expected a JSON object as the body, not " + found));
            api().body(body).post("/api/v1/sync-configs/import").then().statusCode(400)
                    .body("detail", equalTo("expected a JSON object as the body, not " + found));
        });
        api().body("{\"name\": ").post("/api/v1/sync-configs").then().statusCode(400)
                .body("detail", startsWith("the body is not valid JSON"));
    }

    @Test
    void theHttpLayersRefusalsAreProblemsToo() {
        RawHttp http = new RawHttp("127.0.0.1", root.getPort());
        Map<String, String> auth = Map.of("Authorization", "Bearer " + Api.TOKEN, "Content-Type", "application/json");

        RawHttp.Reply tooLarge = http.send("POST", "/api/v1/sync-configs",
                Map.of("Authorization", "Bearer " + Api.TOKEN, "Content-Type", "application/json", "Content-Length", "3000000"), null);
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.contentType()).startsWith("application/problem+json");
        assertThat(tooLarge.body()).contains("\"status\":413").contains("at most 2 MB (2097152 bytes)").contains("3000000");

        RawHttp.Reply tooLong = http.send("GET", "/api/v1/sync-configs?x=" + "a".repeat(5000), auth, null);
        assertThat(tooLong.status()).isEqualTo(414);
        assertThat(tooLong.contentType()).startsWith("application/problem+json");
        assertThat(tooLong.body()).contains("\"status\":414").contains("at most 4096");

        RawHttp.Reply notAllowed = http.send("PATCH", "/api/v1/sync-configs", auth, "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(notAllowed.status()).isEqualTo(405);
        assertThat(notAllowed.contentType()).startsWith("application/problem+json");
        assertThat(notAllowed.header("Allow")).isEqualTo("GET, POST");

        api().accept("text/csv").get("/api/v1/sync-configs").then().statusCode(406)
                .contentType("application/problem+json").body("detail", containsString("application/json"));
        api().contentType("text/plain").body("name=x").post("/api/v1/sync-configs").then().statusCode(415)
                .contentType("application/problem+json").body("detail", containsString("send application/json"));
        api().contentType("text/plain").body("name=x").post("/api/v1/sync-configs/import").then().statusCode(415)
                .body("detail", containsString("application/yaml"));
        assertThat(support.db().count("SELECT COUNT(*) FROM sync_configs")).isZero();
    }

    @Test
    void every405NamesTheMethodsTheOpenApiDocumentLists() {
        OpenAPI doc = new OpenAPIV3Parser().readContents(given().get("/q/openapi?format=json").asString()).getOpenAPI();
        Map<String, Set<String>> methodsByPath = new java.util.HashMap<>();
        doc.getPaths().forEach((path, item) -> item.readOperationsMap().keySet()
                .forEach(m -> methodsByPath.computeIfAbsent(path, k -> new TreeSet<>()).add(m.name())));
        doc.getPaths().forEach((path, item) -> {
            Set<String> documented = new TreeSet<>();
            item.readOperationsMap().keySet().forEach(m -> documented.add(m.name()));
            String url = path.replace("{id}", "1").replace("{table}", "products");
            for (String method : List.of("GET", "POST", "PUT", "DELETE", "PATCH")) {
                // GET /failures/retry is GET /failures/{id} with the id "retry": a 400, not a 405
                boolean otherTemplate = methodsByPath.entrySet().stream().anyMatch(e -> !e.getKey().equals(path)
                        && e.getValue().contains(method) && url.matches(e.getKey().replaceAll("\\{[^}]+}", "[^/]+")));
                if (documented.contains(method) || otherTemplate) {
                    continue;
                }
                var response = api().body("{}").request(method, url);
                assertThat(response.statusCode()).as("%s %s", method, url).isEqualTo(405);
                assertThat(response.header("Allow")).as("Allow of %s", url).isEqualTo(String.join(", ", documented));
                assertThat(response.asString()).as("%s %s", method, url).contains("accepts " + String.join(", ", documented));
            }
        });
    }
}
