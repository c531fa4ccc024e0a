package io.cozecdc.testing.coze;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cozecdc.testing.StartGate;
import io.cozecdc.testing.coze.FakeCoze.Endpoint;
import io.cozecdc.testing.coze.FakeCoze.IdForm;

/** Tests of the fake itself, over real HTTP with {@link HttpClient}. */
@Execution(ExecutionMode.CONCURRENT) // no application, nothing shared: beside the other tests (see surefire in the pom)
@ExtendWith(StartGate.class) // once the in-process tests' application has started
class FakeCozeTest {

    private static final String TOKEN = "pat_test_token";
    private static final String CREATE = "/open_api/knowledge/document/create";
    private static final String DELETE = "/open_api/knowledge/document/delete";
    private static final String LIST = "/open_api/knowledge/document/list";
    private static final ObjectMapper JSON = new ObjectMapper();

    private FakeCoze coze;
    private String dataset;
    private HttpClient http;

    /** An HTTP answer with its body parsed (when it is JSON). */
    private record Answer(int status, String logidHeader, String contentType, String raw) {

        JsonNode json() {
            try {
                return JSON.readTree(raw);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + raw, e);
            }
        }

        int code() {
            return json().path("code").asInt(-1);
        }

        String msg() {
            return json().path("msg").asText();
        }
    }

    @BeforeEach
    void start() {
        coze = FakeCoze.start(TOKEN);
        dataset = coze.createDataset("kb");
        http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    @AfterEach
    void stop() {
        coze.close();
    }

    @Test
    void happyPathCreateListProcessDelete() throws Exception {
        coze.processingDelay(Duration.ofMillis(400));

        Answer created = post(CREATE, createBody(number(dataset), docs("row-1", "alpha", "row-2", "beta")));
        assertThat(created.status()).isEqualTo(200);
        assertThat(created.code()).isZero();
        assertThat(created.msg()).isEmpty();
        JsonNode infos = created.json().get("document_infos");
        assertThat(infos).hasSize(2);
        assertThat(created.json().has("data")).isFalse();
        for (JsonNode info : infos) {
            assertThat(info.get("document_id").isTextual()).isTrue();
            assertThat(info.get("document_id").asText()).matches("[0-9]{19}");
            assertThat(info.get("status").asInt()).isZero();
            assertThat(info.get("create_time").asLong()).isZero();
        }
        String id1 = infos.get(0).get("document_id").asText();
        String id2 = infos.get(1).get("document_id").asText();
        assertThat(infos.get(0).get("name").asText()).isEqualTo("row-1");

        Answer list = post(LIST, "{\"dataset_id\":" + dataset + ",\"page\":1,\"size\":10}");
        assertThat(list.code()).isZero();
        assertThat(list.json().get("total").asInt()).isEqualTo(2);
        assertThat(list.json().get("document_infos").findValuesAsText("document_id")).containsExactly(id1, id2);

        Answer early = process(dataset, "[\"" + id1 + "\",\"" + id2 + "\"]");
        assertThat(early.code()).isZero();
        JsonNode items = early.json().get("data").get("data");
        assertThat(items).hasSize(2);
        assertThat(items.get(0).get("status").asInt()).isZero();
        assertThat(items.get(0).get("progress").asInt()).isBetween(0, 99);
        assertThat(items.get(0).has("status_descript")).isFalse();
        assertThat(items.get(0).get("document_name").asText()).isEqualTo("row-1");

        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20)).until(() -> {
            JsonNode data = process(dataset, "[" + id1 + "," + id2 + "]").json().get("data").get("data");
            return data.get(0).get("status").asInt() == 1 && data.get(1).get("status").asInt() == 1;
        });
        JsonNode done = process(dataset, "[" + id1 + "]").json().get("data").get("data").get(0);
        assertThat(done.get("progress").asInt()).isEqualTo(100);
        assertThat(coze.documents(dataset)).extracting(FakeDocument::status).containsExactly(1, 1);
        assertThat(coze.documents(dataset)).extracting(FakeDocument::content).containsExactly("alpha", "beta");

        Answer deleted = post(DELETE, "{\"document_ids\":[\"" + id1 + "\",\"" + id2 + "\"]}");
        assertThat(deleted.code()).isZero();
        assertThat(coze.documents(dataset)).isEmpty();
        assertThat(process(dataset, "[\"" + id1 + "\"]").json().get("data").get("data")).isEmpty();

        List<FakeEvent> events = coze.events();
        assertThat(events).extracting(FakeEvent::type).containsExactly(FakeEvent.Type.CREATED,
                FakeEvent.Type.CREATED, FakeEvent.Type.DONE, FakeEvent.Type.DONE, FakeEvent.Type.DELETED,
                FakeEvent.Type.DELETED);
        FakeEvent createdEvent = events.get(0);
        assertThat(events.get(2).at()).isEqualTo(createdEvent.at().plusMillis(400));
        assertThat(events).isSortedAccordingTo((a, b) -> a.at().compareTo(b.at()));
        assertThat(coze.requestCount(Endpoint.CREATE)).isEqualTo(1);
        assertThat(coze.requestCount(Endpoint.PROCESS)).isGreaterThanOrEqualTo(3);
        assertThat(coze.requests().get(0).endpoint()).isEqualTo(Endpoint.CREATE);
        assertThat(coze.requests().get(0).headers().get("Agw-Js-Conv")).isEqualTo("str");
    }

    @Test
    void missingOrWrongBearerIsRejected() throws Exception {
        String body = createBody(number(dataset), docs("a", "x"));
        Answer missing = send(builder(CREATE).header("Content-Type", "application/json")
                .header("Agw-Js-Conv", "str").POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.code()).isEqualTo(4100);
        assertThat(missing.msg()).isEqualTo("authentication is invalid");

        Answer wrong = send(builder(CREATE).header("Authorization", "Bearer nope")
                .header("Content-Type", "application/json").header("Agw-Js-Conv", "str")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.code()).isEqualTo(4100);

        coze.revokeAuth(true);
        assertThat(post(CREATE, body).status()).isEqualTo(401);
        coze.revokeAuth(false);
        coze.setToken("rotated");
        assertThat(post(CREATE, body).code()).isEqualTo(4100);
        coze.setToken(TOKEN);
        assertThat(post(CREATE, body).code()).isZero();
        assertThat(coze.allDocuments()).hasSize(1);
    }

    @Test
    void documentEndpointsRequireJsConvHeader() throws Exception {
        Answer answer = send(builder(LIST).header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"dataset_id\":" + dataset + "}")).build());
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.code()).isEqualTo(4000);
        assertThat(answer.msg()).contains("Agw-Js-Conv");

        Answer wrongValue = send(builder(CREATE).header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json").header("Agw-Js-Conv", "STR")
                .POST(HttpRequest.BodyPublishers.ofString(createBody(number(dataset), docs("a", "b")))).build());
        assertThat(wrongValue.code()).isEqualTo(4000);
        assertThat(coze.allDocuments()).isEmpty();

        Answer processWithout = send(builder("/v1/datasets/" + dataset + "/process")
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"document_ids\":[\"7400000000000000001\"]}")).build());
        assertThat(processWithout.code()).isZero();
    }

    @Test
    void contentTypeMustBeJson() throws Exception {
        Answer answer = send(builder(LIST).header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "text/plain").header("Agw-Js-Conv", "str")
                .POST(HttpRequest.BodyPublishers.ofString("{\"dataset_id\":" + dataset + "}")).build());
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.code()).isEqualTo(4000);
        assertThat(answer.msg()).contains("Content-Type");
        Answer charset = send(builder(LIST).header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json; charset=utf-8").header("Agw-Js-Conv", "str")
                .POST(HttpRequest.BodyPublishers.ofString("{\"dataset_id\":" + dataset + "}")).build());
        assertThat(charset.code()).isZero();
    }

    @Test
    void elevenDocumentsInOneCreateAreRefused() throws Exception {
        Map<String, String> eleven = new LinkedHashMap<>();
        for (int i = 0; i < 11; i++) {
            eleven.put("doc-" + i, "content " + i);
        }
        Answer answer = post(CREATE, createBody(number(dataset), eleven));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.code()).isEqualTo(4000);
        assertThat(answer.msg()).contains("at most 10 documents per call");
        assertThat(coze.allDocuments()).isEmpty();

        eleven.remove("doc-10");
        assertThat(post(CREATE, createBody(number(dataset), eleven)).code()).isZero();
        assertThat(coze.documents(dataset)).hasSize(10);
    }

    @Test
    void deleteAcceptsAtMost100Ids() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            ids.add("\"" + (7_400_000_000_000_000_500L + i) + "\"");
        }
        Answer tooMany = post(DELETE, "{\"document_ids\":[" + String.join(",", ids) + "]}");
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.code()).isEqualTo(4000);
        assertThat(tooMany.msg()).contains("at most 100 ids per call");

        Answer hundred = post(DELETE, "{\"document_ids\":[" + String.join(",", ids.subList(0, 100)) + "]}");
        assertThat(hundred.code()).isZero();
        assertThat(post(DELETE, "{\"document_ids\":[]}").code()).isEqualTo(4000);
    }

    @Test
    void datasetIdIsANumericStringAsDocumentedOrAnExactIntegerNumber() throws Exception {
        // the documented type is String (JS and Python SDKs); the Java and Go SDKs send numbers
        Answer asString = post(CREATE, createBody(JSON.getNodeFactory().textNode(dataset), docs("s", "x")));
        assertThat(asString.code()).isZero();
        assertThat(post(LIST, "{\"dataset_id\":\"" + dataset + "\"}").json().get("document_infos")
                .findValuesAsText("name")).containsExactly("s");
        coze.reset();

        Answer notNumeric = post(CREATE, createBody(JSON.getNodeFactory().textNode("ds-1"), docs("a", "x")));
        assertThat(notNumeric.status()).isEqualTo(400);
        assertThat(notNumeric.code()).isEqualTo(4000);
        assertThat(notNumeric.msg()).contains("dataset_id");
        assertThat(post(LIST, "{\"dataset_id\":\"-" + dataset + "\"}").code()).isEqualTo(4000);
        assertThat(post(LIST, "{\"dataset_id\":\"\"}").code()).isEqualTo(4000);
        assertThat(post(LIST, "{\"dataset_id\":true}").code()).isEqualTo(4000);
        assertThat(post(LIST, "{\"page\":1}").code()).isEqualTo(4000);

        Answer asFloat = post(LIST, "{\"dataset_id\":" + dataset + ".0}");
        assertThat(asFloat.code()).isEqualTo(4000);
        Answer asExponent = post(LIST, "{\"dataset_id\":7.3E18}");
        assertThat(asExponent.code()).isEqualTo(4000);

        // a double would round 19-digit ids; the neighbour id must be a different (unknown) dataset
        BigInteger neighbour = new BigInteger(dataset).add(BigInteger.ONE);
        assertThat((double) neighbour.longValue()).isEqualTo((double) Long.parseLong(dataset));
        assertThat(post(LIST, "{\"dataset_id\":" + neighbour + "}").code()).isEqualTo(4200);

        Answer created = post(CREATE, createBody(number(dataset), docs("a", "x")));
        assertThat(created.code()).isZero();
        String documentId = created.json().get("document_infos").get(0).get("document_id").asText();
        assertThat(coze.documents(dataset)).extracting(FakeDocument::documentId).containsExactly(documentId);
        assertThat(coze.documents(dataset).get(0).datasetId()).isEqualTo(dataset);
        Answer listed = post(LIST, "{\"dataset_id\":" + dataset + "}");
        assertThat(listed.json().get("document_infos").get(0).get("document_id").asText()).isEqualTo(documentId);
        assertThat(post(DELETE, "{\"document_ids\":[" + documentId + "]}").code()).isZero();
        assertThat(coze.documents(dataset)).isEmpty();
    }

    @Test
    void unknownOrMissingDatasetIsResourceNotFound() throws Exception {
        Answer unknown = post(CREATE, createBody(number("7399999999999999999"), docs("a", "x")));
        assertThat(unknown.code()).isEqualTo(4200);
        assertThat(process("7399999999999999999", "[\"1\"]").code()).isEqualTo(4200);

        coze.datasetMissing(dataset, true);
        assertThat(post(LIST, "{\"dataset_id\":" + dataset + "}").code()).isEqualTo(4200);
        assertThat(post(CREATE, createBody(number(dataset), docs("a", "x"))).code()).isEqualTo(4200);
        coze.datasetMissing(dataset, false);
        assertThat(post(LIST, "{\"dataset_id\":" + dataset + "}").code()).isZero();
        assertThat(coze.allDocuments()).isEmpty();
    }

    @Test
    void logidHeaderMatchesBodyAndIsUnique() throws Exception {
        Answer first = post(LIST, "{\"dataset_id\":" + dataset + "}");
        Answer second = post(LIST, "{\"dataset_id\":" + dataset + "}");
        Answer error = post(LIST, "{\"dataset_id\":\"x" + dataset + "\"}");
        Answer unauthorized = send(builder(LIST).POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        Answer notFound = post("/v1/unknown", "{}");
        for (Answer answer : List.of(first, second, error, unauthorized, notFound)) {
            assertThat(answer.logidHeader()).isNotBlank();
            assertThat(answer.json().get("detail").get("logid").asText()).isEqualTo(answer.logidHeader());
        }
        assertThat(first.logidHeader()).isNotEqualTo(second.logidHeader());
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.code()).isEqualTo(4200);
    }

    @Test
    void failWithCodeAppliesNothing() throws Exception {
        coze.failWithCode(Endpoint.CREATE, 5000, 1.0);
        Answer answer = post(CREATE, createBody(number(dataset), docs("a", "x")));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.code()).isEqualTo(5000);
        assertThat(answer.json().has("document_infos")).isFalse();
        assertThat(coze.allDocuments()).isEmpty();
        assertThat(coze.events()).isEmpty();
        assertThat(coze.requests()).extracting(RecordedRequest::code).containsExactly(5000);
        assertThat(post(LIST, "{\"dataset_id\":" + dataset + "}").code()).isZero();
    }

    @Test
    void failWithHttpStatusAnswersGatewayErrors() throws Exception {
        coze.failWithHttpStatus(Endpoint.CREATE, 502, 1.0).failWithHttpStatus(Endpoint.LIST, 429, 1.0);
        Answer gateway = post(CREATE, createBody(number(dataset), docs("a", "x")));
        assertThat(gateway.status()).isEqualTo(502);
        assertThat(gateway.contentType()).startsWith("text/html");
        assertThat(gateway.raw()).contains("502 Bad Gateway");
        assertThat(gateway.logidHeader()).isNotBlank();
        assertThat(coze.allDocuments()).isEmpty();

        Answer limited = post(LIST, "{\"dataset_id\":" + dataset + "}");
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.code()).isEqualTo(4013);
        assertThat(coze.requests()).extracting(RecordedRequest::httpStatus).containsExactly(502, 429);
    }

    @Test
    void aQuotaRefusesCallsBeyondItInASecondWith429AndAppliesNothing() throws Exception {
        coze.quota(3);
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            statuses.add(post(CREATE, createBody(number(dataset), docs("q" + i, "x"))).status());
        }
        assertThat(statuses).containsExactly(200, 200, 200, 429, 429);
        assertThat(coze.documents(dataset)).hasSize(3);
        assertThat(coze.throttledCalls()).isEqualTo(2);
        Answer limited = post(LIST, "{\"dataset_id\":" + dataset + "}");
        assertThat(limited.code()).isEqualTo(4013);

        // a second later the window has room again
        Thread.sleep(1_050);
        assertThat(post(CREATE, createBody(number(dataset), docs("q5", "x"))).status()).isEqualTo(200);
        coze.quota(0);
        for (int i = 0; i < 5; i++) {
            assertThat(post(LIST, "{\"dataset_id\":" + dataset + "}").status()).isEqualTo(200);
        }
    }

    @Test
    void timeoutAfterApplyCreatesTheDocumentBeforeAnswering() throws Exception {
        coze.timeoutAfterApply(Endpoint.CREATE, 1.0, Duration.ofMillis(300));
        long started = System.nanoTime();
        CompletableFuture<HttpResponse<String>> future = http.sendAsync(
                authorized(CREATE, createBody(number(dataset), docs("late", "content"))).build(),
                HttpResponse.BodyHandlers.ofString());

        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(5))
                .until(() -> coze.documents(dataset).size() == 1);
        assertThat(future).isNotDone();

        HttpResponse<String> response = future.get(5, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("code").asInt()).isZero();
        assertThat(body.get("document_infos").get(0).get("document_id").asText())
                .isEqualTo(coze.documents(dataset).get(0).documentId());
    }

    @Test
    void timeoutAfterApplyDeletesEvenWhenTheClientGivesUp() throws Exception {
        post(CREATE, createBody(number(dataset), docs("a", "x")));
        String id = coze.documents(dataset).get(0).documentId();
        coze.timeoutAfterApply(Endpoint.DELETE, 1.0, Duration.ofMillis(500));
        HttpRequest request = authorized(DELETE, "{\"document_ids\":[\"" + id + "\"]}")
                .timeout(Duration.ofMillis(150)).build();
        assertThatThrownBy(() -> http.send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);
        assertThat(coze.documents(dataset)).isEmpty();
        assertThat(coze.events()).extracting(FakeEvent::type).contains(FakeEvent.Type.DELETED);
    }

    @Test
    void rejectContentContainingFailsTheWholeCreate() throws Exception {
        coze.rejectContentContaining("FORBIDDEN");
        Answer answer = post(CREATE, createBody(number(dataset), docs("ok", "fine", "bad", "has FORBIDDEN word")));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.code()).isEqualTo(4000);
        assertThat(answer.msg()).contains("FORBIDDEN");
        assertThat(coze.allDocuments()).isEmpty();
        assertThat(post(CREATE, createBody(number(dataset), docs("ok", "fine"))).code()).isZero();
    }

    @Test
    void failProcessingContainingEndsInStatus9WithReason() throws Exception {
        coze.failProcessingContaining("POISON", "file parsing failed");
        Answer created = post(CREATE, createBody(number(dataset), docs("good", "hello", "bad", "a POISON pill")));
        String good = created.json().get("document_infos").get(0).get("document_id").asText();
        String bad = created.json().get("document_infos").get(1).get("document_id").asText();

        JsonNode items = process(dataset, "[\"" + good + "\",\"" + bad + "\"]").json().get("data").get("data");
        assertThat(items.get(0).get("status").asInt()).isEqualTo(1);
        assertThat(items.get(0).has("status_descript")).isFalse();
        assertThat(items.get(1).get("status").asInt()).isEqualTo(9);
        assertThat(items.get(1).get("status_descript").asText()).isEqualTo("file parsing failed");

        FakeDocument failed = coze.documents(dataset).get(1);
        assertThat(failed.status()).isEqualTo(9);
        assertThat(failed.failureReason()).isEqualTo("file parsing failed");
        assertThat(coze.events()).extracting(FakeEvent::type).containsExactly(FakeEvent.Type.CREATED,
                FakeEvent.Type.CREATED, FakeEvent.Type.DONE, FakeEvent.Type.FAILED);
    }

    @Test
    void maxConcurrentRequestsCountsParallelCalls() {
        coze.latency(Endpoint.LIST, Duration.ofMillis(400));
        List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            futures.add(http.sendAsync(authorized(LIST, "{\"dataset_id\":" + dataset + "}").build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        futures.forEach(CompletableFuture::join);
        assertThat(futures).allSatisfy(f -> assertThat(f.join().statusCode()).isEqualTo(200));
        assertThat(coze.maxConcurrentRequests()).isEqualTo(8);
        assertThat(coze.requestCount(Endpoint.LIST)).isEqualTo(8);
    }

    @Test
    void resetClearsFaultsDocumentsAndHistory() throws Exception {
        post(CREATE, createBody(number(dataset), docs("a", "x")));
        coze.failWithCode(Endpoint.CREATE, 5000, 1.0).revokeAuth(true).latency(Duration.ofSeconds(5))
                .rejectContentContaining("x").datasetMissing(dataset, true);

        coze.reset();

        assertThat(coze.allDocuments()).isEmpty();
        assertThat(coze.events()).isEmpty();
        assertThat(coze.requests()).isEmpty();
        assertThat(coze.requestCount(Endpoint.CREATE)).isZero();
        assertThat(coze.maxConcurrentRequests()).isZero();
        long started = System.nanoTime();
        Answer answer = post(CREATE, createBody(number(dataset), docs("b", "x")));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the 5 s latency is gone")
                .isLessThan(Duration.ofSeconds(4));
        assertThat(answer.code()).isZero();
        assertThat(coze.documents(dataset)).extracting(FakeDocument::name).containsExactly("b");
    }

    @Test
    void deletingAProcessingDocumentLeavesNoDoneEvent() throws Exception {
        coze.processingDelay(Duration.ofMillis(200));
        Answer created = post(CREATE, createBody(number(dataset), docs("a", "x")));
        String id = created.json().get("document_infos").get(0).get("document_id").asText();
        assertThat(coze.documents(dataset).get(0).status()).isZero();
        post(DELETE, "{\"document_ids\":[" + id + "]}");
        Thread.sleep(300);
        assertThat(coze.events()).extracting(FakeEvent::type)
                .containsExactly(FakeEvent.Type.CREATED, FakeEvent.Type.DELETED);
    }

    @Test
    void listPagesInCreationOrderWithNoInventedSizeMaximum() throws Exception {
        Map<String, String> ten = new LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            ten.put("d" + i, "c" + i);
        }
        post(CREATE, createBody(number(dataset), ten));
        post(CREATE, createBody(number(dataset), docs("d10", "c10", "d11", "c11")));
        Answer page2 = post(LIST, "{\"dataset_id\":" + dataset + ",\"page\":2,\"size\":5}");
        assertThat(page2.json().get("total").asInt()).isEqualTo(12);
        assertThat(page2.json().get("document_infos").findValuesAsText("name"))
                .containsExactly("d5", "d6", "d7", "d8", "d9");
        Answer defaults = post(LIST, "{\"dataset_id\":" + dataset + "}");
        assertThat(defaults.json().get("document_infos")).hasSize(10);
        // no maximum page size is documented
        Answer large = post(LIST, "{\"dataset_id\":\"" + dataset + "\",\"size\":1000}");
        assertThat(large.code()).isZero();
        assertThat(large.json().get("document_infos")).hasSize(12);
        assertThat(post(LIST, "{\"dataset_id\":" + dataset + ",\"size\":0}").code()).isEqualTo(4000);
        assertThat(post(LIST, "{\"dataset_id\":" + dataset + ",\"size\":\"5\"}").code()).isEqualTo(4000);
        assertThat(post(LIST, "{\"dataset_id\":" + dataset + ",\"page\":0}").code()).isEqualTo(4000);
    }

    @Test
    void aCappedListServesShortPagesCountedInTheCappedSizeWithTheFullTotal() throws Exception {
        Map<String, String> seven = new LinkedHashMap<>();
        for (int i = 0; i < 7; i++) {
            seven.put("d" + i, "c" + i);
        }
        post(CREATE, createBody(number(dataset), seven));
        coze.capListPage(3);
        Answer first = post(LIST, "{\"dataset_id\":\"" + dataset + "\",\"page\":1,\"size\":100}");
        assertThat(first.json().get("total").asInt()).isEqualTo(7);
        assertThat(first.json().get("document_infos").findValuesAsText("name")).containsExactly("d0", "d1", "d2");
        Answer third = post(LIST, "{\"dataset_id\":\"" + dataset + "\",\"page\":3,\"size\":100}");
        assertThat(third.json().get("document_infos").findValuesAsText("name")).containsExactly("d6");
        Answer small = post(LIST, "{\"dataset_id\":\"" + dataset + "\",\"page\":2,\"size\":2}");
        assertThat(small.json().get("document_infos").findValuesAsText("name")).containsExactly("d2", "d3");
        coze.reset();
        assertThat(post(LIST, "{\"dataset_id\":\"" + dataset + "\",\"size\":100}").json().get("total").asInt())
                .isZero();
    }

    @Test
    void aDeletionAfterTheNextListIsSeenByTheListAfterIt() throws Exception {
        Answer created = post(CREATE, createBody(number(dataset), docs("a", "x", "b", "x", "c", "x")));
        String first = created.json().get("document_infos").get(0).get("document_id").asText();
        coze.deleteAfterNextList(List.of(first));
        Answer before = post(LIST, "{\"dataset_id\":\"" + dataset + "\",\"page\":2,\"size\":2}");
        assertThat(before.json().get("total").asInt()).as("the answer is made before the deletion").isEqualTo(3);
        assertThat(before.json().get("document_infos").findValuesAsText("name")).containsExactly("c");
        Answer after = post(LIST, "{\"dataset_id\":\"" + dataset + "\",\"page\":2,\"size\":2}");
        assertThat(after.json().get("total").asInt()).isEqualTo(2);
        assertThat(after.json().get("document_infos")).as("the page the old total made last is empty now").isEmpty();
        assertThat(post(LIST, "{\"dataset_id\":\"" + dataset + "\",\"page\":1,\"size\":2}").json()
                .get("document_infos").findValuesAsText("name")).containsExactly("b", "c");
        assertThat(coze.documents(dataset)).hasSize(2);
    }

    @Test
    void listPagesOnlyTheNamedDatasetAfterDeletions() throws Exception {
        String other = coze.createDataset("other");
        post(CREATE, createBody(number(other), docs("o1", "x")));
        Answer created = post(CREATE, createBody(number(dataset), docs("a", "x", "b", "x", "c", "x")));
        post(CREATE, createBody(number(other), docs("o2", "x")));
        String first = created.json().get("document_infos").get(0).get("document_id").asText();
        post(DELETE, "{\"document_ids\":[" + first + "]}");
        Answer page = post(LIST, "{\"dataset_id\":" + dataset + ",\"page\":1,\"size\":5}");
        assertThat(page.json().get("total").asInt()).isEqualTo(2);
        assertThat(page.json().get("document_infos").findValuesAsText("name")).containsExactly("b", "c");
        Answer beyond = post(LIST, "{\"dataset_id\":" + other + ",\"page\":3,\"size\":1}");
        assertThat(beyond.json().get("total").asInt()).isEqualTo(2);
        assertThat(beyond.json().get("document_infos")).isEmpty();
    }

    @Test
    void processingEndsInDueOrderWhateverTheCreationOrder() throws Exception {
        coze.processingDelay(Duration.ofMillis(300));
        post(CREATE, createBody(number(dataset), docs("slow", "x")));
        coze.processingDelay(Duration.ZERO);
        post(CREATE, createBody(number(dataset), docs("fast", "x")));
        Thread.sleep(400);
        List<String> done = coze.events().stream().filter(e -> e.type() == FakeEvent.Type.DONE).map(FakeEvent::name).toList();
        assertThat(done).containsExactly("fast", "slow");
        List<FakeEvent> events = coze.events();
        for (int i = 1; i < events.size(); i++) {
            assertThat(events.get(i).at()).isAfterOrEqualTo(events.get(i - 1).at());
        }
    }

    @Test
    void requestHistoryCanBeTurnedOffWhileCountersAndDocumentsStay() throws Exception {
        coze.recordRequests(false);
        post(CREATE, createBody(number(dataset), docs("a", "x", "b", "y")));
        Answer created = post(CREATE, createBody(number(dataset), docs("c", "z")));
        post(DELETE, "{\"document_ids\":[" + created.json().get("document_infos").get(0).get("document_id").asText() + "]}");

        assertThat(coze.requests()).isEmpty();
        assertThat(coze.requestCount(Endpoint.CREATE)).isEqualTo(2);
        assertThat(coze.documentsCreated()).isEqualTo(3);
        assertThat(coze.documents(dataset)).extracting(FakeDocument::name).containsExactly("a", "b");

        coze.reset();
        assertThat(coze.documentsCreated()).isZero();
        post(CREATE, createBody(number(dataset), docs("d", "x")));
        assertThat(coze.requests()).as("the setting survives a reset").isEmpty();
        coze.recordRequests(true);
        post(CREATE, createBody(number(dataset), docs("e", "x")));
        assertThat(coze.requests()).hasSize(1);
        assertThat(coze.documentsCreated()).isEqualTo(2);
    }

    @Test
    void documentIdsAcceptNumbersAndStringsAndRecordTheForm() throws Exception {
        assertThat(post(DELETE, "{\"document_ids\":[\"7400000000000000900\"]}").code()).isZero();
        assertThat(post(DELETE, "{\"document_ids\":[7400000000000000900]}").code()).isZero();
        assertThat(post(DELETE, "{\"document_ids\":[7400000000000000900,\"7400000000000000901\"]}").code())
                .isZero();
        assertThat(process(dataset, "[7400000000000000900]").code()).isZero();
        assertThat(process(dataset, "[\"7400000000000000900\"]").code()).isZero();
        assertThat(post(DELETE, "{\"document_ids\":[1.5]}").code()).isEqualTo(4000);
        assertThat(post(DELETE, "{\"document_ids\":[\"abc\"]}").code()).isEqualTo(4000);
        assertThat(coze.idForms(Endpoint.DELETE)).containsExactly(IdForm.STRING, IdForm.NUMBER, IdForm.MIXED);
        assertThat(coze.idForms(Endpoint.PROCESS)).containsExactly(IdForm.NUMBER, IdForm.STRING);
        assertThat(process(dataset, "[]").code()).isEqualTo(4000);
    }

    @Test
    void createValidatesEveryDocumentBase() throws Exception {
        String ok = base64("text");
        String head = "{\"dataset_id\":" + dataset + ",\"chunk_strategy\":{\"chunk_type\":0},\"format_type\":0,";
        assertThat(post(CREATE, head + "\"document_bases\":[{\"name\":\"\",\"source_info\":{\"file_base64\":\""
                + ok + "\",\"file_type\":\"txt\"}}]}").code()).isEqualTo(4000);
        assertThat(post(CREATE, head + "\"document_bases\":[{\"name\":\"n\",\"source_info\":{\"file_base64\":"
                + "\"not base64!\",\"file_type\":\"txt\"}}]}").code()).isEqualTo(4000);
        assertThat(post(CREATE, head + "\"document_bases\":[{\"name\":\"n\",\"source_info\":{\"file_base64\":\""
                + ok + "\",\"file_type\":\"pdf\"}}]}").code()).isEqualTo(4000);
        assertThat(post(CREATE, head + "\"document_bases\":[]}").code()).isEqualTo(4000);
        String bases = "\"document_bases\":[{\"name\":\"n\",\"source_info\":{\"file_base64\":\"" + ok
                + "\",\"file_type\":\"txt\"}}]";
        assertThat(post(CREATE, "{\"dataset_id\":" + dataset + ",\"format_type\":0," + bases + "}").code())
                .isEqualTo(4000);
        assertThat(post(CREATE, "{\"dataset_id\":" + dataset + ",\"chunk_strategy\":{},\"format_type\":2,"
                + bases + "}").code()).isEqualTo(4000);
        assertThat(post(CREATE, "{\"dataset_id\":" + dataset + ",\"chunk_strategy\":{\"chunk_type\":1},"
                + "\"format_type\":0," + bases + "}").code()).isEqualTo(4000);
        assertThat(coze.allDocuments()).isEmpty();
        assertThat(post(CREATE, head + bases + "}").code()).isZero();
        assertThat(coze.allDocuments()).extracting(FakeDocument::content).containsExactly("text");
    }

    @Test
    void customChunkStrategyAndUtf8ContentRoundTrip() throws Exception {
        ObjectNode body = JSON.createObjectNode();
        body.put("dataset_id", new BigInteger(dataset));
        ObjectNode base = body.putArray("document_bases").addObject();
        base.put("name", "商品-1");
        base.putObject("source_info")
                .put("file_base64", base64("名称: 茶杯\n###\n价格: 12"))
                .put("file_type", "txt");
        body.putObject("chunk_strategy").put("chunk_type", 1).put("separator", "###").put("max_tokens", 2000)
                .put("remove_extra_spaces", false).put("remove_urls_emails", false);
        body.put("format_type", 0);
        assertThat(post(CREATE, JSON.writeValueAsString(body)).code()).isZero();
        FakeDocument doc = coze.documents(dataset).get(0);
        assertThat(doc.name()).isEqualTo("商品-1");
        assertThat(doc.content()).isEqualTo("名称: 茶杯\n###\n价格: 12");
        JsonNode info = post(LIST, "{\"dataset_id\":" + dataset + "}").json().get("document_infos").get(0);
        assertThat(info.get("slice_count").asInt()).isEqualTo(2);
        assertThat(info.get("chunk_strategy").get("separator").asText()).isEqualTo("###");
    }

    @Test
    void bodiesOver15MegabytesAreRefused() throws Exception {
        int payload = 15 * 1024 * 1024;
        String body = "{\"dataset_id\":" + dataset + ",\"document_bases\":[{\"name\":\"big\",\"source_info\":"
                + "{\"file_base64\":\"" + "QUFB".repeat(payload / 4 + 1) + "\",\"file_type\":\"txt\"}}],"
                + "\"chunk_strategy\":{\"chunk_type\":0},\"format_type\":0}";
        Answer answer = post(CREATE, body);
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.code()).isEqualTo(4000);
        assertThat(answer.msg()).contains("too large");
        assertThat(coze.allDocuments()).isEmpty();
    }

    @Test
    void seededSharesAreReproducible() throws Exception {
        List<Integer> first = codesOfTwentyLists();
        coze.reset();
        List<Integer> second = codesOfTwentyLists();
        assertThat(second).isEqualTo(first);
        assertThat(first).contains(0, 5000);
    }

    @Test
    void processingDelayAndShareFailuresAreVisibleInSnapshots() throws Exception {
        coze.processingDelay(Duration.ofMillis(150)).failProcessing(1.0, "quota");
        post(CREATE, createBody(number(dataset), docs("a", "x")));
        assertThat(coze.documents(dataset).get(0).status()).isZero();
        await().atMost(Duration.ofSeconds(2)).until(() -> coze.documents(dataset).get(0).status() == 9);
        FakeEvent failed = coze.events().get(1);
        assertThat(failed.type()).isEqualTo(FakeEvent.Type.FAILED);
        assertThat(failed.at()).isEqualTo(coze.documents(dataset).get(0).createdAt().plusMillis(150));
    }

    @Test
    void finishProcessingEndsEveryDocumentStillProcessingNowWithItsOutcome() throws Exception {
        coze.processingDelay(Duration.ofHours(1)).failProcessingContaining("BAD", "parsing failed");
        post(CREATE, createBody(number(dataset), docs("good", "fine", "bad", "BAD row")));
        String deleted = post(CREATE, createBody(number(dataset), docs("gone", "x"))).json()
                .get("document_infos").get(0).get("document_id").asText();
        post(DELETE, "{\"document_ids\":[\"" + deleted + "\"]}");
        assertThat(coze.documents(dataset)).extracting(FakeDocument::status).containsExactly(0, 0);

        assertThat(coze.finishProcessing()).as("documents finished (not the deleted one)").isEqualTo(2);
        assertThat(coze.documents(dataset)).extracting(FakeDocument::status).containsExactly(1, 9);
        assertThat(coze.documents(dataset).get(1).failureReason()).isEqualTo("parsing failed");
        List<FakeEvent> events = coze.events();
        assertThat(events).extracting(FakeEvent::type).containsExactly(FakeEvent.Type.CREATED, FakeEvent.Type.CREATED,
                FakeEvent.Type.CREATED, FakeEvent.Type.DELETED, FakeEvent.Type.DONE, FakeEvent.Type.FAILED);
        assertThat(events.get(4).at()).isAfterOrEqualTo(events.get(3).at());
        assertThat(coze.finishProcessing()).as("nothing left processing").isZero();

        // a document created afterwards still waits out the processing delay
        post(CREATE, createBody(number(dataset), docs("later", "y")));
        assertThat(coze.documents(dataset).get(2).status()).isZero();
    }

    @Test
    void unknownPathsAndMethodsAre404() throws Exception {
        Answer get = send(builder(LIST).header("Authorization", "Bearer " + TOKEN).GET().build());
        assertThat(get.status()).isEqualTo(404);
        assertThat(get.code()).isEqualTo(4200);
        assertThat(post("/open_api/knowledge/document/update", "{}").status()).isEqualTo(404);
        assertThat(coze.requestCount(Endpoint.OTHER)).isEqualTo(2);
    }

    private List<Integer> codesOfTwentyLists() throws Exception {
        coze.seed(42).failWithCode(Endpoint.LIST, 5000, 0.5);
        List<Integer> codes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            codes.add(post(LIST, "{\"dataset_id\":" + dataset + "}").code());
        }
        return codes;
    }

    private Answer process(String datasetId, String idsJson) throws Exception {
        return post("/v1/datasets/" + datasetId + "/process", "{\"document_ids\":" + idsJson + "}");
    }

    private Answer post(String path, String body) throws Exception {
        return send(authorized(path, body).build());
    }

    private HttpRequest.Builder authorized(String path, String body) {
        return builder(path)
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .header("Agw-Js-Conv", "str")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    }

    private HttpRequest.Builder builder(String path) {
        return HttpRequest.newBuilder(URI.create(coze.baseUrl() + path)).timeout(Duration.ofSeconds(10));
    }

    private Answer send(HttpRequest request) throws Exception {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.headers().firstValue("X-Tt-Logid").orElse(null),
                response.headers().firstValue("Content-Type").orElse(""), response.body());
    }

    private static JsonNode number(String id) {
        return JSON.getNodeFactory().numberNode(new BigInteger(id));
    }

    private static Map<String, String> docs(String... nameContentPairs) {
        Map<String, String> docs = new LinkedHashMap<>();
        for (int i = 0; i < nameContentPairs.length; i += 2) {
            docs.put(nameContentPairs[i], nameContentPairs[i + 1]);
        }
        return docs;
    }

    private static String createBody(JsonNode datasetId, Map<String, String> documents) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.set("dataset_id", datasetId);
        ArrayNode bases = body.putArray("document_bases");
        documents.forEach((name, content) -> {
            ObjectNode base = bases.addObject();
            base.put("name", name);
            base.putObject("source_info").put("file_base64", base64(content)).put("file_type", "txt");
        });
        body.putObject("chunk_strategy").put("chunk_type", 0);
        body.put("format_type", 0);
        return JSON.writeValueAsString(body);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
