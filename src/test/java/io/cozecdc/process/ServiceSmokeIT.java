package io.cozecdc.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import io.cozecdc.testing.StartGate;
import io.cozecdc.testing.TestDb;
import io.cozecdc.testing.coze.FakeCoze;
import io.cozecdc.testing.process.DatabaseServer;
import io.cozecdc.testing.process.ServiceProcess;

/**
 * The packaged service as a real process against its own MariaDB and a Coze fake over HTTP: a sync
 * configuration created through the API turns an inserted row into a document. Also the smallest
 * example of the process launcher.
 */
@Execution(ExecutionMode.CONCURRENT) // beside the other tests, two ITs at a time: see surefire in the pom
@ExtendWith(StartGate.class) // once the in-process tests' application has started
class ServiceSmokeIT {

    @Test
    void aRowInsertedAfterAConfigIsCreatedReachesCoze() {
        try (DatabaseServer db = DatabaseServer.start("smoke");
                FakeCoze coze = FakeCoze.start("coze-token-smoke");
                ServiceProcess service = ServiceProcess.builder("smoke")
                        .database(db)
                        .coze(coze.baseUrl(), "coze-token-smoke")
                        .jvmArgs("-Xmx256m")
                        .setting("cdc.poll.interval", "100ms")
                        .start()) {
            String dataset = coze.createDataset("smoke-kb");
            service.api().body("{\"name\":\"smoke\",\"tableName\":\"products\",\"datasetId\":\"" + dataset
                    + "\",\"fields\":[\"id\",\"name\",\"stock_quantity\"]}")
                    .post("/api/v1/sync-configs")
                    .then().statusCode(201).body("status", equalTo("ACTIVE"));

            TestDb sql = db.testDb();
            String id = UUID.randomUUID().toString();
            sql.update("INSERT INTO products (id, sku, name, unit_price, stock_quantity) VALUES (?, 'S-1', 'smoke widget', 9.90, 7)", id);

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(coze.documents(dataset))
                    .singleElement()
                    .satisfies(d -> assertThat(d.content()).contains("id: " + id, "name: smoke widget", "stock_quantity: 7")));
            assertThat(service.log()).doesNotContain("coze-token-smoke", db.password(), service.apiToken());
        }
    }
}
