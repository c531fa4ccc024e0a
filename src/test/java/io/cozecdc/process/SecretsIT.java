package io.cozecdc.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import io.restassured.response.Response;

import io.cozecdc.testing.StartGate;
import io.cozecdc.testing.TestDb;
import io.cozecdc.testing.coze.FakeCoze.Endpoint;
import io.cozecdc.testing.coze.FakeCoze;
import io.cozecdc.testing.process.DatabaseServer;
import io.cozecdc.testing.process.ServiceProcess;

/**
 * The Coze token, the management API token and the database password never appear in the packaged
 * service's output (at the levels it enables by default, and with its own category at DEBUG), in error
 * bodies or in any API or operations response: through startup, API use and misuse, Coze refusing the
 * token, Coze errors and dead letters, a database outage, a failed start and a shutdown.
 */
@Execution(ExecutionMode.CONCURRENT) // beside the other tests, two ITs at a time: see surefire in the pom
@ExtendWith(StartGate.class) // once the in-process tests' application has started
class SecretsIT {

    static final String COZE_TOKEN = "czs_SECRETcoze5b7e0c1d9a44";
    static final String API_TOKEN = "apiSECRETtoken3f9d2e7c81";
    static final String DB_PASSWORD = "dbSECRETpw8c1a4e6b";
    static final String WRONG_DB_PASSWORD = "dbSECRETwrong2d4f6a";
    static final List<String> SECRETS = List.of(COZE_TOKEN, API_TOKEN, DB_PASSWORD, WRONG_DB_PASSWORD);

    final List<String> answers = new ArrayList<>();

    @Test
    void noSecretInLogsErrorBodiesOrResponses() {
        try (DatabaseServer db = DatabaseServer.builder("secrets").password(DB_PASSWORD).start();
                FakeCoze coze = FakeCoze.start(COZE_TOKEN)) {
            String dataset = coze.createDataset("secrets-kb");
            TestDb sql = db.testDb();
            ServiceProcess service = ServiceProcess.builder("secrets")
                    .database(db)
                    .coze(coze.baseUrl(), COZE_TOKEN)
                    .apiToken(API_TOKEN)
                    .jvmArgs("-Xmx256m")
                    .setting("cdc.retry.initial-backoff", "200ms")
                    .setting("cdc.retry.max-attempts", "2")
                    .setting("cdc.configs.probe-interval", "1s")
                    .setting("coze.request-timeout", "2s")
                    .start();
            try {
                exercise(service, coze, db, sql, dataset);
                ServiceProcess.Exit exit = service.terminate(Duration.ofSeconds(30));
                assertThat(exit.killed()).isFalse();
            } finally {
                service.close();
            }
            assertNoSecret("the service's output (default levels)", service.allLogs());

            // our own category at DEBUG, as an operator might turn it on
            ServiceProcess debug = ServiceProcess.builder("secrets-debug").database(db).coze(coze.baseUrl(), COZE_TOKEN)
                    .apiToken(API_TOKEN).jvmArgs("-Xmx256m").setting("quarkus.log.category.\"io.cozecdc\".level", "DEBUG").start();
            try {
                record(debug.api().get("/api/v1/sync-configs"));
                record(debug.api().header("Authorization", "Bearer " + API_TOKEN + "0").get("/api/v1/failures"));
                sql.update("INSERT INTO products (id, sku, name, unit_price) VALUES (?, 'SEC-D', 'debug row', 1)", UUID.randomUUID().toString());
                sleep(3000);
            } finally {
                debug.terminate(Duration.ofSeconds(30));
            }
            assertNoSecret("the service's output with io.cozecdc at DEBUG", debug.allLogs());

            // a start that fails on the database password says why without repeating it
            ServiceProcess failed = ServiceProcess.builder("secrets-badpw").database(db).env("DB_PASSWORD", WRONG_DB_PASSWORD)
                    .coze(coze.baseUrl(), COZE_TOKEN).apiToken(API_TOKEN).setting("quarkus.flyway.connect-retries", "1")
                    .waitReady(false).start();
            await().atMost(Duration.ofSeconds(60)).until(() -> !failed.isAlive());
            assertThat(failed.log()).as("the failed start explains itself").containsIgnoringCase("access denied");
            assertNoSecret("the output of a start with a wrong password", failed.allLogs());
        }
        assertThat(answers).hasSizeGreaterThan(20);
        for (String answer : answers) {
            assertNoSecret("a response", answer);
        }
    }

    private void exercise(ServiceProcess service, FakeCoze coze, DatabaseServer db, TestDb sql, String dataset) {
        int id = record(service.api().body("{\"name\":\"secrets\",\"tableName\":\"products\",\"datasetId\":\"" + dataset
                + "\",\"fields\":[\"id\",\"name\"]}").post("/api/v1/sync-configs")).path("id");
        // use and misuse of the API
        record(service.api().get("/api/v1/sync-configs"));
        record(service.api().get("/api/v1/sync-configs/" + id));
        record(service.api().get("/api/v1/sync-configs/export"));
        record(service.api().get("/api/v1/tables"));
        record(service.api().get("/api/v1/tables/products/trigger-sql"));
        record(service.api().get("/api/v1/changes/pending"));
        record(service.api().body("{\"name\":\"\",\"tableName\":\"nope\",\"datasetId\":\"x\"}").post("/api/v1/sync-configs"));
        record(service.api().body("{not json").post("/api/v1/sync-configs"));
        record(service.api().get("/api/v1/sync-configs/999999"));
        for (String header : List.of("Bearer " + API_TOKEN + "x", "Bearer " + API_TOKEN.substring(1), API_TOKEN, "Basic " + API_TOKEN)) {
            record(service.anonymous().header("Authorization", header).get("/api/v1/sync-configs"));
        }
        record(service.anonymous().get("/api/v1/sync-configs"));
        for (String path : List.of("/q/health", "/q/health/ready", "/q/health/live", "/q/metrics", "/q/openapi", "/q/swagger-ui/")) {
            HttpResponse<String> r = service.get(path);
            answers.add(r.headers().map() + "\n" + r.body());
        }

        // Coze errors: a rejected record (dead letter), server errors, then a refused token
        coze.rejectContentContaining("REJECT-ME");
        sql.update("INSERT INTO products (id, sku, name, unit_price) VALUES (?, 'SEC-1', 'REJECT-ME please', 1)", UUID.randomUUID().toString());
        await().atMost(Duration.ofSeconds(30)).until(() -> sql.count("SELECT COUNT(*) FROM sync_failures WHERE status = 'DEAD'") == 1);
        record(service.api().get("/api/v1/failures"));
        coze.clearFaults();
        coze.failWithCode(Endpoint.CREATE, 5000, 1.0);
        sql.update("INSERT INTO products (id, sku, name, unit_price) VALUES (?, 'SEC-2', 'server error', 1)", UUID.randomUUID().toString());
        await().atMost(Duration.ofSeconds(30)).until(() -> sql.count("SELECT COUNT(*) FROM sync_failures WHERE status = 'RETRYING'") >= 1
                || sql.count("SELECT COUNT(*) FROM sync_failures WHERE status = 'DEAD'") >= 2);
        record(service.api().get("/api/v1/failures"));
        coze.clearFaults();
        coze.setToken("another-token");
        sql.update("INSERT INTO products (id, sku, name, unit_price) VALUES (?, 'SEC-3', 'auth refused', 1)", UUID.randomUUID().toString());
        await().atMost(Duration.ofSeconds(30)).until(() -> !"ACTIVE".equals(service.api().get("/api/v1/sync-configs/" + id).path("status")));
        record(service.api().get("/api/v1/sync-configs/" + id));
        HttpResponse<String> ready = service.get("/q/health/ready");
        answers.add(ready.body());
        coze.setToken(COZE_TOKEN);

        // the database goes away for a moment
        db.stop();
        sleep(3000);
        answers.add(service.get("/q/health/ready").body());
        record(service.api().get("/api/v1/sync-configs"));
        db.startAgain();
        await().atMost(Duration.ofSeconds(60)).until(() -> service.get("/q/health/live").statusCode() == 200);
    }

    private Response record(Response response) {
        answers.add(response.getHeaders().toString() + "\n" + response.asString());
        return response;
    }

    private static void assertNoSecret(String where, String text) {
        for (String secret : SECRETS) {
            assertThat(text).as("%s must not contain %s…", where, secret.substring(0, 8)).doesNotContain(secret);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
