package io.cozecdc.coze;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;

import io.cozecdc.sink.KnowledgeBase;
import io.cozecdc.sink.KnowledgeBase.CreatedDocument;
import io.cozecdc.sink.KnowledgeBase.NewDocument;
import io.cozecdc.sink.SinkErrorKind;
import io.cozecdc.sink.SinkException;
import io.cozecdc.testing.FakeCozeResource;
import io.cozecdc.testing.InjectFakeCoze;
import io.cozecdc.testing.Scrape;
import io.cozecdc.testing.coze.FakeCoze;
import io.cozecdc.testing.coze.FakeCoze.Endpoint;
import io.cozecdc.testing.coze.RecordedRequest;

/**
 * The HTTP client against the strict fake: what it sends, how it reads answers, how it classifies failures.
 *
 * <p>The throttling test runs first: the 429 of {@link #retryableFailuresAreRetriedQuicklyAndThenReported()}
 * halves the allowed rate, and a test after it would first wait (about 6 s) for the rate to climb back. The two
 * timeout tests run last: the fake holds their answers for 2 s past the client's timeout, and
 * {@link #neverMoreCallsInFlightThanMaxConcurrency()}, which counts the calls in flight at the fake, would first
 * wait those out.
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CozeClientTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    KnowledgeBase coze;
    @Inject
    CozeSettings config;
    @InjectFakeCoze
    FakeCoze fake;

    long dataset;

    @BeforeEach
    void setUp() {
        fake.reset();
        dataset = Long.parseLong(fake.createDataset("client-test"));
    }

    @Test
    void createsWithBearerTokenJsConvHeaderAndStringIdsAsDocumented() {
        List<CreatedDocument> created = await(coze.create(dataset, List.of(new NewDocument("doc-1", "name: 扳手\n"),
                new NewDocument("doc-2", "name: wrench\n"))));
        assertThat(created).extracting(CreatedDocument::name).containsExactly("doc-1", "doc-2");
        assertThat(created).allSatisfy(c -> assertThat(c.documentId()).matches("\\d{19}"));

        RecordedRequest request = fake.requests().get(0);
        assertThat(request.headers().get("authorization")).isEqualTo("Bearer " + FakeCozeResource.TOKEN);
        assertThat(request.headers().get("agw-js-conv")).isEqualTo("str");
        assertThat(request.body()).contains("\"dataset_id\":\"" + dataset + "\"");
        assertThat(request.body()).contains("\"chunk_type\":1").contains("\"max_tokens\":2000")
                .contains("\"separator\":\"###cdc-row###\"");
        assertThat(fake.documents(Long.toString(dataset))).extracting(d -> d.content())
                .containsExactly("name: 扳手\n", "name: wrench\n");
    }

    @Test
    void deletesAndReadsProgressWithIdsAsStringsAsDocumented() {
        List<CreatedDocument> created = await(coze.create(dataset, List.of(new NewDocument("a", "x"))));
        String id = created.get(0).documentId();
        assertThat(await(coze.progress(dataset, List.of(id)))).singleElement()
                .satisfies(p -> assertThat(p.documentId()).isEqualTo(id));
        await(coze.delete(List.of(id)));
        assertThat(fake.documents(Long.toString(dataset))).isEmpty();
        assertThat(fake.idForms(Endpoint.DELETE)).containsOnly(FakeCoze.IdForm.STRING);
        assertThat(fake.idForms(Endpoint.PROCESS)).containsOnly(FakeCoze.IdForm.STRING);
        assertThat(fake.requests()).filteredOn(r -> r.endpoint() == Endpoint.PROCESS).singleElement()
                .satisfies(r -> assertThat(r.body()).isEqualTo("{\"document_ids\":[\"" + id + "\"]}"));
    }

    @Test
    void listsPages() {
        List<NewDocument> docs = IntStream.range(0, 7).mapToObj(i -> new NewDocument("n" + i, "c" + i)).toList();
        await(coze.create(dataset, docs));
        KnowledgeBase.DocumentPage page = await(coze.list(dataset, 2, 5));
        assertThat(page.total()).isEqualTo(7);
        assertThat(page.documents()).extracting(KnowledgeBase.ListedDocument::name).containsExactly("n5", "n6");
        assertThat(fake.requests()).filteredOn(r -> r.endpoint() == Endpoint.LIST).singleElement()
                .satisfies(r -> assertThat(r.body()).contains("\"dataset_id\":\"" + dataset + "\""));
    }

    @Test
    void refusesMoreThanTenDocumentsOrHundredIdsBeforeSending() {
        List<NewDocument> eleven = IntStream.range(0, 11).mapToObj(i -> new NewDocument("n" + i, "c")).toList();
        assertThatThrownBy(() -> coze.create(dataset, eleven)).isInstanceOf(IllegalArgumentException.class);
        List<String> ids = IntStream.range(0, 101).mapToObj(i -> Long.toString(7400000000000000000L + i)).toList();
        assertThatThrownBy(() -> coze.delete(ids)).isInstanceOf(IllegalArgumentException.class);
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void aRejectedRecordIsPermanentWithCodeMessageAndLogid() {
        fake.rejectContentContaining("POISON");
        SinkException e = failure(coze.create(dataset, List.of(new NewDocument("bad", "POISON here"))));
        assertThat(e.kind()).isEqualTo(SinkErrorKind.PERMANENT);
        assertThat(e.code()).isEqualTo(4000);
        assertThat(e.getMessage()).contains("POISON");
        assertThat(e.logid()).isNotBlank().isEqualTo(fake.requests().get(0).logid());
        assertThat(fake.requestCount(Endpoint.CREATE)).isEqualTo(1); // permanent: no quick retry
    }

    @Test
    void authFailuresAreConfigurationErrors() {
        fake.revokeAuth(true);
        SinkException e = failure(coze.list(dataset, 1, 1));
        assertThat(e.kind()).isEqualTo(SinkErrorKind.CONFIGURATION);
        assertThat(e.code()).isEqualTo(4100);
        assertThat(e.httpStatus()).isEqualTo(401);
    }

    @Test
    void aMissingDatasetIsAConfigurationError() {
        fake.datasetMissing(Long.toString(dataset), true);
        SinkException e = failure(coze.create(dataset, List.of(new NewDocument("a", "b"))));
        assertThat(e.kind()).isEqualTo(SinkErrorKind.CONFIGURATION);
        assertThat(e.code()).isEqualTo(4200);
    }

    @Test
    void retryableFailuresAreRetriedQuicklyAndThenReported() {
        fake.failWithCode(Endpoint.LIST, 5000, 1.0);
        SinkException e = failure(coze.list(dataset, 1, 1));
        assertThat(e.kind()).isEqualTo(SinkErrorKind.RETRYABLE);
        assertThat(e.code()).isEqualTo(5000);
        assertThat(fake.requestCount(Endpoint.LIST)).isEqualTo(3); // the call and two quick retries

        fake.reset();
        fake.failWithHttpStatus(Endpoint.LIST, 502, 1.0);
        SinkException gateway = failure(coze.list(dataset, 1, 1));
        assertThat(gateway.kind()).isEqualTo(SinkErrorKind.RETRYABLE);
        assertThat(gateway.httpStatus()).isEqualTo(502);

        fake.reset();
        fake.failWithHttpStatus(Endpoint.LIST, 429, 1.0);
        assertThat(failure(coze.list(dataset, 1, 1)).kind()).isEqualTo(SinkErrorKind.RETRYABLE);
    }

    @Test
    @Order(Order.DEFAULT + 1) // after the tests without an order
    void aTimedOutCreateIsNotRetriedBecauseCozeMayHaveAppliedIt() {
        fake.timeoutAfterApply(Endpoint.CREATE, 1.0, Duration.ofSeconds(4));
        SinkException e = failure(coze.create(dataset, List.of(new NewDocument("slow", "content"))));
        assertThat(e.kind()).isEqualTo(SinkErrorKind.RETRYABLE);
        assertThat(e.mayHaveApplied()).isTrue();
        assertThat(fake.requestCount(Endpoint.CREATE)).isEqualTo(1);
        assertThat(fake.documents(Long.toString(dataset))).hasSize(1); // applied although we saw no answer
    }

    @Test
    @Order(Order.DEFAULT + 1) // after the tests without an order
    void aTimedOutDeleteIsRetriedBecauseDeletingTwiceIsHarmless() {
        String id = await(coze.create(dataset, List.of(new NewDocument("d", "x")))).get(0).documentId();
        fake.timeoutAfterApply(Endpoint.DELETE, 1.0, Duration.ofSeconds(4));
        failure(coze.delete(List.of(id)));
        assertThat(fake.requestCount(Endpoint.DELETE)).isEqualTo(3);
    }

    @Test
    void neverMoreCallsInFlightThanMaxConcurrency() {
        // answers a timeout test left held at the fake still count as in flight there (the timeout tests run last,
        // but another class may have left some), and a reset starts the high-water mark from what is in flight: wait
        // them out, then start it afresh. Only this test reads that mark; the others count requests on arrival,
        // which a reset forgets.
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> fake.inFlightRequests() == 0);
        fake.reset();
        fake.latency(Duration.ofMillis(150));
        List<Uni<List<CreatedDocument>>> calls = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            calls.add(coze.create(dataset, List.of(new NewDocument("p" + i, "x"))));
        }
        Uni.join().all(calls).andFailFast().await().atMost(WAIT);
        assertThat(fake.maxConcurrentRequests()).isEqualTo(4); // coze.max-concurrency default
        assertThat(fake.documents(Long.toString(dataset))).hasSize(16);
    }

    @Test
    @Order(1)
    void throttlingAnswersHalveTheCallRateWhichClimbsBackWhenCozeAcceptsAgain() {
        double ceiling = config.rateLimitPerSecond();
        // an earlier test's 429 may still be wearing off (no gauge yet: no call made yet in this application, nothing to wear off)
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            Double rate = Scrape.now().value("coze_rate_limit_per_second", Map.of());
            return rate == null || rate == ceiling;
        });

        fake.failWithCode(Endpoint.LIST, 4013, 1.0);
        assertThat(failure(coze.list(dataset, 1, 1)).code()).isEqualTo(4013);
        assertThat(fake.requestCount(Endpoint.LIST)).isEqualTo(3);
        // three refusals in a burst are one signal: halved once, not three times
        assertThat(allowedRate()).isBetween(ceiling / 2, ceiling * 0.6);

        fake.reset();
        long quiet = System.nanoTime();
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> allowedRate() == ceiling);
        // a quiet second, then a tenth of the ceiling per second: about 6 s from half
        assertThat(Duration.ofNanos(System.nanoTime() - quiet)).isGreaterThan(Duration.ofSeconds(4));
    }

    private static double allowedRate() {
        return Scrape.now().value("coze_rate_limit_per_second", Map.of());
    }

    private static <T> T await(Uni<T> uni) {
        return uni.await().atMost(WAIT);
    }

    private static SinkException failure(Uni<?> uni) {
        try {
            uni.await().atMost(WAIT);
        } catch (SinkException e) {
            return e;
        }
        throw new AssertionError("expected a SinkException");
    }
}
