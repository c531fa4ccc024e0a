package io.cozecdc.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;

/**
 * Every operation the OpenAPI document lists refuses callers without the right token, so a new
 * endpoint cannot be forgotten; the document itself is valid and complete; probes stay open.
 */
@QuarkusTest
class ApiSecurityTest {

    @Test
    void everyApiOperationNeedsTheBearerToken() {
        List<String> checked = new ArrayList<>();
        for (Map.Entry<String, PathItem> path : openApi().getPaths().entrySet()) {
            String url = path.getKey().replace("{id}", "1").replace("{table}", "products");
            for (Map.Entry<PathItem.HttpMethod, Operation> op : path.getValue().readOperationsMap().entrySet()) {
                String method = op.getKey().name();
                for (String header : new String[] {null, "Bearer wrong-token", "Bearer ", "Basic dGVzdDp0ZXN0", "test-api-token-91c2"}) {
                    var request = given().contentType("application/json").body("{}");
                    if (header != null) {
                        request.header("Authorization", header);
                    }
                    Response response = request.request(method, url);
                    assertThat(response.statusCode()).as("%s %s with %s", method, url, header).isEqualTo(401);
                    assertThat(response.contentType()).startsWith("application/problem+json");
                    assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
                    assertThat(response.asString()).doesNotContain("test-api-token-91c2");
                }
                checked.add(method + " " + path.getKey());
            }
        }
        assertThat(checked).hasSizeGreaterThanOrEqualTo(19);
        // paths the document does not list are refused too
        given().get("/api/v1/not-documented").then().statusCode(401);
        given().get("/api/v2/anything").then().statusCode(401);
    }

    @Test
    void probesMetricsAndTheApiDocumentStayOpen() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200);
        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void theOpenApiDocumentIsValidAndEveryOperationIsDocumented() {
        String json = given().get("/q/openapi?format=json").then().statusCode(200).extract().asString();
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(json);
        assertThat(result.getMessages()).as("OpenAPI validation messages").isEmpty();
        OpenAPI api = result.getOpenAPI();
        assertThat(api.getComponents().getSecuritySchemes()).containsKey("bearer");
        assertThat(api.getComponents().getSecuritySchemes().get("bearer").getScheme()).isEqualTo("bearer");

        List<String> expected = List.of("GET /api/v1/sync-configs", "POST /api/v1/sync-configs", "GET /api/v1/sync-configs/{id}",
                "PUT /api/v1/sync-configs/{id}", "DELETE /api/v1/sync-configs/{id}", "POST /api/v1/sync-configs/{id}/enable",
                "POST /api/v1/sync-configs/{id}/disable", "POST /api/v1/sync-configs/{id}/resync",
                "DELETE /api/v1/sync-configs/{id}/resync", "GET /api/v1/sync-configs/export", "POST /api/v1/sync-configs/import",
                "POST /api/v1/sync-configs/preview", "GET /api/v1/changes/pending", "GET /api/v1/failures", "GET /api/v1/failures/{id}",
                "POST /api/v1/failures/{id}/retry", "POST /api/v1/failures/retry", "DELETE /api/v1/failures/{id}",
                "GET /api/v1/tables", "POST /api/v1/tables", "DELETE /api/v1/tables/{table}",
                "GET /api/v1/tables/{table}/columns", "GET /api/v1/tables/{table}/trigger-sql", "POST /api/v1/maintenance/cleanup", "POST /api/v1/maintenance/reconcile");
        List<String> documented = new ArrayList<>();
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, op) -> {
            String name = method + " " + path;
            documented.add(name);
            assertThat(op.getSummary()).as("summary of %s", name).isNotBlank();
            assertThat(op.getDescription()).as("description of %s", name).isNotBlank();
            assertThat(op.getResponses()).as("responses of %s", name).containsKey("401");
            assertThat(op.getResponses().keySet()).as("success response of %s", name).anyMatch(code -> code.startsWith("2"));
            if (path.contains("{")) {
                assertThat(op.getResponses()).as("404 of %s", name).containsKey("404");
            }
            if ((method == PathItem.HttpMethod.POST || method == PathItem.HttpMethod.PUT) && op.getRequestBody() != null) {
                assertThat(op.getResponses()).as("400 of %s", name).containsKey("400");
            }
            op.getResponses().forEach((code, response) -> {
                if (code.startsWith("4")) {
                    assertThat(response.getContent()).as("%s %s", name, code).containsKey("application/problem+json");
                }
            });
        }));
        assertThat(documented).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void everyDocumentedErrorCarriesAnExampleOfItsOwnStatus() throws Exception {
        OpenAPI api = openApi();
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        List<String> checked = new ArrayList<>();
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, op) -> op.getResponses().forEach((code, response) -> {
            if (!code.startsWith("4")) {
                return;
            }
            String name = method + " " + path + " " + code;
            var media = response.getContent().get("application/problem+json");
            assertThat(media.getExamples()).as("examples of %s", name).isNotEmpty();
            media.getExamples().forEach((exampleName, example) -> {
                Object value = example.getValue();
                com.fasterxml.jackson.databind.JsonNode problem;
                try {
                    problem = value instanceof String text ? json.readTree(text) : json.valueToTree(value);
                } catch (Exception e) {
                    throw new AssertionError(name + ": example " + exampleName + " is not JSON: " + value, e);
                }
                assertThat(problem.path("status").asInt()).as("status of example %s of %s", exampleName, name)
                        .isEqualTo(Integer.parseInt(code));
                assertThat(problem.path("type").asText()).as("type of example %s of %s", exampleName, name)
                        .startsWith("urn:coze-cdc:problem:");
            });
            checked.add(name);
        })));
        assertThat(checked).hasSizeGreaterThan(40);
    }

    @Test
    void schemasAreTypedAsTheyAreWithRealisticExamples() {
        Map<String, io.swagger.v3.oas.models.media.Schema> schemas = openApi().getComponents().getSchemas();
        assertThat(property(schemas, "SyncConfig", "status").getEnum()).containsExactly("ACTIVE", "PAUSED", "ERROR");
        assertThat(property(schemas, "Failure", "status").getEnum()).containsExactly("RETRYING", "DEAD");
        assertThat(property(schemas, "Backfill", "state").getEnum()).containsExactly("RUNNING", "DONE", "CANCELLED", "FAILED");
        assertThat(property(schemas, "Table", "triggers").getEnum()).containsExactly("INSTALLED", "MISSING", "DRIFTED");
        io.swagger.v3.oas.models.media.Schema<?> payload = property(schemas, "Failure", "payload");
        // OpenAPI 3.1 writes the type as a list
        assertThat(payload.getType() != null ? java.util.Set.of(payload.getType()) : payload.getTypes()).as("payload type")
                .containsExactly("object");
        assertThat(payload.getProperties()).as("no JSON-node internals").isNullOrEmpty();
        assertThat(payload.get$ref()).isNull();
        // every answer's fields show a value a reader would see, not Swagger UI's "string" or a 2022 date
        for (String schema : List.of("SyncConfig", "ConfigStats", "Backfill", "Failure", "FailurePage", "Table", "PendingChanges",
                "PendingTable", "ImportResult")) {
            Map<String, io.swagger.v3.oas.models.media.Schema> properties = schemas.get(schema).getProperties();
            properties.forEach((field, p) -> {
                boolean ref = p.get$ref() != null || p.getItems() != null && p.getItems().get$ref() != null;
                if (!ref) {
                    // OpenAPI 3.1 writes a property's example as a list, "examples"
                    Object example = p.getExample() != null ? p.getExample()
                            : p.getExamples() == null || p.getExamples().isEmpty() ? null : p.getExamples().get(0);
                    assertThat(example).as("example of %s.%s", schema, field).isNotNull();
                    assertThat(String.valueOf(example)).as("example of %s.%s", schema, field)
                            .isNotEqualTo("string").doesNotContain("2022-");
                }
            });
        }
    }

    @SuppressWarnings("unchecked")
    private static io.swagger.v3.oas.models.media.Schema<Object> property(Map<String, io.swagger.v3.oas.models.media.Schema> schemas,
            String schema, String field) {
        return (io.swagger.v3.oas.models.media.Schema<Object>) schemas.get(schema).getProperties().get(field);
    }

    @Test
    void theRightTokenIsAccepted() {
        given().header("Authorization", "Bearer test-api-token-91c2").get("/api/v1/changes/pending")
                .then().statusCode(200).body("total", equalTo(0));
    }

    private static OpenAPI openApi() {
        return new OpenAPIV3Parser().readContents(given().get("/q/openapi?format=json").asString()).getOpenAPI();
    }
}
