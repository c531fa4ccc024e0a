package io.cozecdc.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.cozecdc.testing.coze.FakeCoze;

/**
 * What the Coze fake can take on this machine: a plain client creating documents in calls of
 * {@code perCall} with {@code concurrency} calls in flight, as fast as the fake answers. Shows whether
 * the computed physical limit (concurrency × documents per call ÷ latency) is reachable here at all.
 */
final class FakeCeiling {

    private FakeCeiling() {
    }

    /** Documents per second the fake accepted. */
    static double measure(FakeCoze coze, String dataset, int concurrency, int perCall, Duration duration) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        AtomicLong created = new AtomicLong();
        AtomicLong serial = new AtomicLong();
        long end = System.nanoTime() + duration.toNanos();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        for (int t = 0; t < concurrency; t++) {
            Thread thread = new Thread(() -> {
                try {
                    while (System.nanoTime() < end) {
                        HttpResponse<String> r = http.send(request(coze, dataset, perCall, serial), HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 200 || !r.body().contains("\"code\":0")) {
                            throw new IllegalStateException("fake refused a create: " + r.body());
                        }
                        created.addAndGet(perCall);
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }, "bench-ceiling-" + t);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (!errors.isEmpty()) {
            throw new IllegalStateException("ceiling measurement failed", errors.get(0));
        }
        return created.get() / ((System.nanoTime() - start) / 1e9);
    }

    private static HttpRequest request(FakeCoze coze, String dataset, int perCall, AtomicLong serial) {
        StringBuilder body = new StringBuilder("{\"dataset_id\":").append(dataset).append(",\"document_bases\":[");
        for (int i = 0; i < perCall; i++) {
            long n = serial.incrementAndGet();
            String content = "id: ceiling-" + n + "\nsku: C-" + n + "\nname: Ceiling product " + n + "\ncategory: tools\n"
                    + "description: Product " + n + " of the benchmark: sturdy, useful and always in stock somewhere.\n"
                    + "unit_price: 12.99\nstock_quantity: 7\n";
            body.append(i == 0 ? "" : ",").append("{\"name\":\"ceiling:").append(n).append("\",\"source_info\":{\"file_base64\":\"")
                    .append(Base64.getEncoder().encodeToString(content.getBytes(StandardCharsets.UTF_8)))
                    .append("\",\"file_type\":\"txt\"}}");
        }
        body.append("],\"chunk_strategy\":{\"chunk_type\":0},\"format_type\":0}");
        return HttpRequest.newBuilder(URI.create(coze.baseUrl() + "/open_api/knowledge/document/create"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + BenchRun.COZE_TOKEN)
                .header("Content-Type", "application/json")
                .header("Agw-Js-Conv", "str")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
    }
}
