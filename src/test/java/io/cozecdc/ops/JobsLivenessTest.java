package io.cozecdc.ops;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * A database call that never answers stops no job for longer than its bound, and liveness names the
 * stuck job; a database statement has a time bound. Own profile: a round bound of 2 s, a statement
 * bound of 3 s (above the round bound, so a hung gauge round is abandoned before its statement fails)
 * and state gauges every 500 ms. (Not shorter: the suite runs beside the process ITs on 2 cores, and a
 * busy machine must not make a healthy round look stuck.)
 */
@QuarkusTest
@TestProfile(JobsLivenessTest.ShortBounds.class)
class JobsLivenessTest {

    /** Short job bounds, so a hang shows within seconds. */
    public static class ShortBounds implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cdc.jobs.round-timeout", "2s", "cdc.jobs.statement-timeout", STATEMENT_TIMEOUT.toMillis() + "ms",
                    "cdc.ops.metrics-refresh", "500ms");
        }
    }

    /** The profile's cdc.jobs.statement-timeout. */
    static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(3);

    @Inject
    AgroalDataSource dataSource;
    @Inject
    io.vertx.mutiny.sqlclient.Pool pool;

    @Test
    void aStatementThatWaitsLongerThanTheStatementTimeoutFailsInsteadOfHanging() throws Exception {
        Object serverBound = pool.query("SELECT @@SESSION.max_statement_time").execute().await().atMost(Duration.ofSeconds(10))
                .iterator().next().getValue(0);
        assertThat(Double.parseDouble(String.valueOf(serverBound))).isEqualTo(STATEMENT_TIMEOUT.toMillis() / 1000.0);

        try (Connection holder = dataSource.getConnection(); Statement lock = holder.createStatement()) {
            lock.execute("LOCK TABLES sync_failures WRITE");
            try {
                long started = System.nanoTime();
                Throwable failure = pool.query("SELECT COUNT(*) FROM sync_failures").execute()
                        .onItemOrFailure().transform((rows, e) -> e)
                        .await().atMost(Duration.ofSeconds(30));
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                assertThat(failure).as("the statement waiting for the lock fails").isNotNull();
                // it waited (at least four fifths of the bound, as 4 s of 5 s before), and not for ever
                assertThat(took).isGreaterThanOrEqualTo(STATEMENT_TIMEOUT.multipliedBy(4).dividedBy(5))
                        .isLessThan(Duration.ofSeconds(15));
            } finally {
                lock.execute("UNLOCK TABLES");
            }
        }
        // the pool still works afterwards
        assertThat(pool.query("SELECT COUNT(*) FROM sync_failures").execute().await().atMost(Duration.ofSeconds(10)).size())
                .isEqualTo(1);
    }

    @Test
    void aStateGaugeQueryThatNeverAnswersMakesLivenessDownNamingTheJobUntilItAnswersAgain() throws Exception {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(jobs(live(200)).getString("status")).isEqualTo("UP"));

        try (Connection holder = dataSource.getConnection(); Statement lock = holder.createStatement()) {
            // the state gauges count sync_failures: their query now waits for this lock (for a year by default)
            lock.execute("LOCK TABLES sync_failures WRITE");
            try {
                long started = System.nanoTime();
                JsonPath down = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                        .until(() -> given().get("/q/health/live").then().extract(), r -> r.statusCode() == 503)
                        .jsonPath();
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
                JsonPath check = jobs(down);
                assertThat(check.getString("status")).isEqualTo("DOWN");
                assertThat(check.getString("data.stuckJobs")).contains("state-gauges");
                assertThat(check.getString("data.state-gauges")).contains("cdc.jobs.round-timeout");
                // the scheduler was not stopped by the hung round: later rounds start, and are abandoned too
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                        jobs(given().get("/q/health/live").then().extract().jsonPath()).getString("data.state-gauges"))
                        .doesNotContain("; 0 rounds abandoned").doesNotContain("; 1 rounds abandoned"));
            } finally {
                lock.execute("UNLOCK TABLES");
            }
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(jobs(live(200)).getString("status")).isEqualTo("UP"));
    }

    private static JsonPath live(int status) {
        return given().get("/q/health/live").then().statusCode(status).extract().jsonPath();
    }

    private static JsonPath jobs(JsonPath health) {
        List<Map<String, Object>> checks = health.getList("checks");
        Map<String, Object> found = checks.stream().filter(c -> "cdc-jobs".equals(c.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no check named cdc-jobs in " + health.prettify()));
        return new JsonPath(new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(found).toString());
    }
}
