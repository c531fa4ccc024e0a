package io.cozecdc.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import io.restassured.path.json.JsonPath;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

import io.cozecdc.testing.StartGate;
import io.cozecdc.testing.coze.FakeCoze;
import io.cozecdc.testing.process.DatabaseServer;
import io.cozecdc.testing.process.ServiceProcess;

/**
 * A database call that never answers stops no job for longer than its bound, and liveness names the
 * stuck job; a database statement has a time bound. The packaged service as a process, with short
 * bounds: rounds of 2 s, statements of 3 s (above the round bound, so a hung gauge round is abandoned
 * before its statement fails) and state gauges every 500 ms. (Not shorter: the suite runs beside other
 * tests on 2 cores, and a busy machine must not make a healthy round look stuck.) A process, not a
 * {@code @QuarkusTest} with a test profile: a profile costs the in-process tests an application build
 * at discovery and a restart.
 */
@Execution(ExecutionMode.CONCURRENT) // beside the other tests, two ITs at a time: see surefire in the pom
@ExtendWith(StartGate.class) // once the in-process tests' application has started
class JobsLivenessIT {

    /** The service's cdc.jobs.statement-timeout. */
    static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(3);

    static DatabaseServer db;
    static FakeCoze coze;
    static ServiceProcess service;

    @BeforeAll
    static void start() {
        db = DatabaseServer.start("liveness");
        coze = FakeCoze.start("coze-token-liveness");
        service = ServiceProcess.builder("liveness")
                .database(db)
                .coze(coze.baseUrl(), "coze-token-liveness")
                .jvmArgs("-Xmx256m")
                .setting("cdc.jobs.round-timeout", "2s")
                .setting("cdc.jobs.statement-timeout", STATEMENT_TIMEOUT.toMillis() + "ms")
                .setting("cdc.ops.metrics-refresh", "500ms")
                .start();
    }

    @AfterAll
    static void stop() {
        try (AutoCloseable s = service; AutoCloseable c = coze; AutoCloseable d = db) {
            // closed in reverse order
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    @Execution(ExecutionMode.SAME_THREAD) // one after the other: both lock a table of the one service
    void aStatementThatWaitsLongerThanTheStatementTimeoutFailsInsteadOfHanging() throws Exception {
        assertThat(failures().statusCode()).isEqualTo(200);

        try (Connection holder = db.dataSource().getConnection(); Statement lock = holder.createStatement()) {
            // the list of failures reads sync_failures: its statement now waits for this lock (for a year by default)
            lock.execute("LOCK TABLES sync_failures WRITE");
            try {
                long started = System.nanoTime();
                ExtractableResponse<Response> answer = failures();
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                assertThat(answer.statusCode()).as("the request whose statement waits for the lock fails: %s", answer.asString())
                        .isEqualTo(500);
                assertThat(answer.jsonPath().getString("type")).endsWith("internal");
                // it waited (at least four fifths of the bound, as 4 s of 5 s before), and not for ever
                assertThat(took).isGreaterThanOrEqualTo(STATEMENT_TIMEOUT.multipliedBy(4).dividedBy(5))
                        .isLessThan(Duration.ofSeconds(15));
            } finally {
                lock.execute("UNLOCK TABLES");
            }
        }
        // the pool still works afterwards
        assertThat(failures().statusCode()).isEqualTo(200);
    }

    @Test
    @Execution(ExecutionMode.SAME_THREAD)
    void aStateGaugeQueryThatNeverAnswersMakesLivenessDownNamingTheJobUntilItAnswersAgain() throws Exception {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(jobs(live(200)).getString("status")).isEqualTo("UP"));

        try (Connection holder = db.dataSource().getConnection(); Statement lock = holder.createStatement()) {
            // the state gauges count sync_failures: their query now waits for this lock (for a year by default)
            lock.execute("LOCK TABLES sync_failures WRITE");
            try {
                long started = System.nanoTime();
                JsonPath down = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                        .until(() -> service.anonymous().get("/q/health/live").then().extract(), r -> r.statusCode() == 503)
                        .jsonPath();
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
                JsonPath check = jobs(down);
                assertThat(check.getString("status")).isEqualTo("DOWN");
                assertThat(check.getString("data.stuckJobs")).contains("state-gauges");
                assertThat(check.getString("data.state-gauges")).contains("cdc.jobs.round-timeout");
                // the scheduler was not stopped by the hung round: later rounds start, and are abandoned too
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                        jobs(service.anonymous().get("/q/health/live").then().extract().jsonPath()).getString("data.state-gauges"))
                        .doesNotContain("; 0 rounds abandoned").doesNotContain("; 1 rounds abandoned"));
            } finally {
                lock.execute("UNLOCK TABLES");
            }
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(jobs(live(200)).getString("status")).isEqualTo("UP"));
    }

    private static ExtractableResponse<Response> failures() {
        return service.api().get("/api/v1/failures").then().extract();
    }

    private static JsonPath live(int status) {
        return service.anonymous().get("/q/health/live").then().statusCode(status).extract().jsonPath();
    }

    private static JsonPath jobs(JsonPath health) {
        List<Map<String, Object>> checks = health.getList("checks");
        Map<String, Object> found = checks.stream().filter(c -> "cdc-jobs".equals(c.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no check named cdc-jobs in " + health.prettify()));
        return new JsonPath(new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(found).toString());
    }
}
