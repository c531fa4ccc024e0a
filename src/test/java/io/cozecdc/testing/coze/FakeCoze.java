package io.cozecdc.testing.coze;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpServer;

/**
 * A strict, fault-injectable HTTP fake of the Coze knowledge API (document create/delete/list and
 * dataset process), served on {@code 127.0.0.1} at a dynamic port.
 *
 * <p>Typical use: {@code FakeCoze coze = FakeCoze.start("tok"); String ds = coze.createDataset("kb");}
 * then point the client at {@link #baseUrl()}; call {@link #reset()} between tests and {@link #close()}
 * at the end. Every fault setter returns {@code this} so they chain; all faults are off by default.
 */
public final class FakeCoze implements AutoCloseable {

    /** The endpoints the fake distinguishes. */
    public enum Endpoint {
        /** {@code POST /open_api/knowledge/document/create}. */
        CREATE,
        /** {@code POST /open_api/knowledge/document/delete}. */
        DELETE,
        /** {@code POST /open_api/knowledge/document/list}. */
        LIST,
        /** {@code POST /v1/datasets/{dataset_id}/process}. */
        PROCESS,
        /** Anything else (answered with HTTP 404, code 4200). */
        OTHER
    }

    /** How the {@code document_ids} of one delete/process call were written. */
    public enum IdForm {
        /** All JSON numbers. */
        NUMBER,
        /** All numeric JSON strings. */
        STRING,
        /** Both forms in one array. */
        MIXED
    }

    private static final int THREADS = 64;

    static {
        // The JDK server writes an answer's headers and body separately; with Nagle's algorithm on, the
        // body waits for the client's delayed ACK and every call takes ~40 ms more than its latency.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /** One client for {@link #createAsAnotherClient} (a new one per call costs a connection each). */
    private static final java.net.http.HttpClient OTHER_CLIENT = java.net.http.HttpClient.newHttpClient();
    private final AtomicReference<String> token;
    private final MonotonicClock clock = new MonotonicClock();
    private final DocumentStore store = new DocumentStore(clock);
    private final Faults faults = new Faults();
    private final RequestLog log = new RequestLog(clock);
    private final ExecutorService executor;
    private final HttpServer server;

    private FakeCoze(String token) throws IOException {
        this.token = new AtomicReference<>(token);
        AtomicInteger threadNumber = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "fake-coze-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        DocumentApi api = new DocumentApi(store, faults, log, clock);
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        server.createContext("/", new CozeHandler(this.token::get, faults, log, api, new LogIds(clock)));
        server.setExecutor(executor);
        server.start();
    }

    /**
     * Starts a fake on {@code 127.0.0.1} at a free port.
     *
     * @param token the bearer token every request must present
     * @return the running fake
     */
    public static FakeCoze start(String token) {
        try {
            return new FakeCoze(token);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the fake Coze server", e);
        }
    }

    /** @return {@code http://127.0.0.1:<port>}, without a trailing slash */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * Creates an empty text dataset.
     *
     * @param name the dataset name (informational only)
     * @return its new 19-digit id
     */
    public String createDataset(String name) {
        return store.createDataset(name);
    }

    /**
     * Forgets documents, events, the request log, request counters, the concurrency high-water mark and
     * every fault. Keeps datasets, the token, the random generator and the id counters (ids never repeat).
     */
    public void reset() {
        faults.clear();
        store.reset();
        log.reset();
    }

    /** Turns every fault off (latency, errors, timeouts, rejections, auth, processing failures); keeps documents and the log. */
    public void clearFaults() {
        faults.clear();
    }

    /**
     * Creates one-byte text documents in a dataset through this fake's own HTTP API, as another client of
     * the knowledge base would (behind the service's back): counted, logged and listed like any create.
     *
     * @param datasetId the dataset
     * @param names the documents' names
     */
    public void createAsAnotherClient(String datasetId, List<String> names) {
        StringBuilder docs = new StringBuilder();
        for (String name : names) {
            docs.append(docs.length() == 0 ? "" : ",").append("{\"name\":\"").append(name)
                    .append("\",\"source_info\":{\"file_base64\":\"eA==\",\"file_type\":\"txt\"}}");
        }
        String body = "{\"dataset_id\":\"" + datasetId + "\",\"document_bases\":[" + docs + "],"
                + "\"chunk_strategy\":{\"chunk_type\":0},\"format_type\":0}";
        try {
            var response = OTHER_CLIENT.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(baseUrl() + "/open_api/knowledge/document/create"))
                    .header("Authorization", "Bearer " + token.get())
                    .header("Content-Type", "application/json").header("Agw-Js-Conv", "str")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            if (!response.body().contains("\"code\":0")) {
                throw new IllegalStateException("the fake refused a create of another client: " + response.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** @param token the bearer token required from now on ({@code null}: nothing is accepted) */
    public void setToken(String token) {
        this.token.set(token);
    }

    /** Stops the server immediately; answers still being held are dropped. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /**
     * @param datasetId a dataset id
     * @return the documents currently in the dataset, in creation order, with their current status
     */
    public List<FakeDocument> documents(String datasetId) {
        return store.documents(datasetId);
    }

    /** @return the documents currently in every dataset, in creation order */
    public List<FakeDocument> allDocuments() {
        return store.allDocuments();
    }

    /** @return every document state change since the last reset, in time order */
    public List<FakeEvent> events() {
        return store.events();
    }

    /**
     * @return every answered request since the last reset, in arrival order (a request appears once its
     *         answer is decided, i.e. before any injected hold)
     */
    public List<RecordedRequest> requests() {
        return log.requests();
    }

    /**
     * Keeps (the default) or stops keeping the history behind {@link #requests()}, bodies included.
     * Benchmarks that send a million documents turn it off so the history does not fill the heap;
     * counters, concurrency figures, documents and events are kept either way. Survives {@link #reset()}.
     *
     * @param keep false to stop recording requests
     * @return this
     */
    public FakeCoze recordRequests(boolean keep) {
        log.keepHistory(keep);
        return this;
    }

    /** @return how many documents create calls registered since the last reset, deleted ones included */
    public long documentsCreated() {
        return store.createdCount();
    }

    /**
     * @param endpoint the endpoint
     * @return how many requests addressed it since the last reset (counted on arrival)
     */
    public int requestCount(Endpoint endpoint) {
        return log.count(endpoint);
    }

    /** @return requests being handled right now (including ones held after their client gave up) */
    public int inFlightRequests() {
        return log.inFlight();
    }

    /** @return the highest number of requests in flight at once since the last reset */
    public int maxConcurrentRequests() {
        return log.maxInFlight();
    }

    /**
     * @param endpoint {@link Endpoint#DELETE} or {@link Endpoint#PROCESS}
     * @return for each valid call to it since the last reset, in order, how its document_ids were written
     */
    public List<IdForm> idForms(Endpoint endpoint) {
        return log.idForms(endpoint);
    }

    /**
     * Makes the random fault draws reproducible.
     *
     * @param seed seed for the fake's {@link java.util.Random}
     * @return this
     */
    public FakeCoze seed(long seed) {
        faults.seed(seed);
        return this;
    }

    /**
     * Waits this long before handling every request (before auth and validation).
     *
     * @param d the delay
     * @return this
     */
    public FakeCoze latency(Duration d) {
        faults.latency(d);
        return this;
    }

    /**
     * Waits this long before handling requests to one endpoint, overriding {@link #latency(Duration)}.
     *
     * @param e the endpoint
     * @param d the delay
     * @return this
     */
    public FakeCoze latency(Endpoint e, Duration d) {
        faults.latency(e, d);
        return this;
    }

    /**
     * Answers that share of valid calls to {@code e} with HTTP 200 and body {@code code}; nothing is applied.
     * Replaces an earlier code fault on the same endpoint.
     *
     * @param e     the endpoint
     * @param code  the body code, e.g. 5000 or 4009
     * @param share 0..1
     * @return this
     */
    public FakeCoze failWithCode(Endpoint e, int code, double share) {
        faults.failWithCode(e, code, share);
        return this;
    }

    /**
     * Answers that share of calls to {@code e} with an HTTP error before validation; nothing is applied.
     * 5xx get a small HTML page, 4xx a JSON body (429 → code 4013). Replaces an earlier one on {@code e}.
     *
     * @param e      the endpoint
     * @param status 400..599
     * @param share  0..1
     * @return this
     */
    public FakeCoze failWithHttpStatus(Endpoint e, int status, double share) {
        faults.failWithHttpStatus(e, status, share);
        return this;
    }

    /**
     * Deletes these documents once, right after the next list call has been answered, as another client
     * deleting documents between two page reads of one listing would: the totals and pages change under the
     * reader. Cleared by {@link #clearFaults()}.
     *
     * @param documentIds the documents to delete
     * @return this
     */
    public FakeCoze deleteAfterNextList(List<String> documentIds) {
        faults.deleteAfterNextList(documentIds);
        return this;
    }

    /**
     * Throttles as a rate-limited Coze would: a call beyond {@code callsPerSecond} accepted calls in the
     * last second (all endpoints together) gets HTTP 429 with code 4013 and changes nothing.
     *
     * @param callsPerSecond the quota; 0 removes it
     * @return this
     */
    public FakeCoze quota(double callsPerSecond) {
        faults.quota(callsPerSecond);
        return this;
    }

    /**
     * Answers a list call with at most {@code documents} documents whatever {@code size} asks for, as a
     * server with an undocumented maximum page size might: the page is then counted in that smaller size
     * (page {@code n} starts at document {@code (n - 1) * documents}), and {@code total} stays the
     * dataset's total, so only a client that pages until {@code total} reads everything.
     *
     * @param documents the cap, at least 1; {@link Integer#MAX_VALUE} removes it
     * @return this
     */
    public FakeCoze capListPage(int documents) {
        faults.capListPage(documents);
        return this;
    }

    /** Calls refused by {@link #quota(double)} since the last reset. */
    public long throttledCalls() {
        return faults.throttled();
    }

    /**
     * Lists documents newest first instead of in creation order (Coze documents no order).
     *
     * @param newestFirst true for reverse creation order
     * @return this
     */
    public FakeCoze listNewestFirst(boolean newestFirst) {
        faults.listNewestFirst(newestFirst);
        return this;
    }

    /**
     * For that share of valid calls to {@code e}: apply the call fully, then hold the answer for {@code hold}.
     *
     * @param e     the endpoint
     * @param share 0..1
     * @param hold  how long to hold the answer
     * @return this
     */
    public FakeCoze timeoutAfterApply(Endpoint e, double share, Duration hold) {
        faults.timeoutAfterApply(e, share, hold);
        return this;
    }

    /**
     * Fails a whole create (HTTP 200, code 4000, msg naming the marker, nothing applied) when any of its
     * documents contains the marker. May be called several times to add markers.
     *
     * @param marker text to look for in decoded document content
     * @return this
     */
    public FakeCoze rejectContentContaining(String marker) {
        faults.rejectContentContaining(marker);
        return this;
    }

    /**
     * @param revoked when true every call gets HTTP 401 and code 4100 whatever the token
     * @return this
     */
    public FakeCoze revokeAuth(boolean revoked) {
        faults.revokeAuth(revoked);
        return this;
    }

    /**
     * Makes create, list and process calls naming this dataset answer code 4200 (HTTP 200).
     *
     * @param datasetId the dataset
     * @param missing   true to hide it, false to show it again
     * @return this
     */
    public FakeCoze datasetMissing(String datasetId, boolean missing) {
        faults.datasetMissing(datasetId, missing);
        return this;
    }

    /**
     * Documents created from now on stay in status 0 this long, then become 1 (or 9).
     *
     * @param d the delay, zero by default
     * @return this
     */
    public FakeCoze processingDelay(Duration d) {
        faults.processingDelay(d);
        return this;
    }

    /**
     * Ends, now, the processing of every document still processing: each becomes 1 (or 9), as decided when it was
     * created. With a {@link #processingDelay} longer than any test, a test decides when Coze finishes processing
     * instead of racing a clock. Documents created later still wait out the processing delay.
     *
     * @return how many documents finished
     */
    public int finishProcessing() {
        return store.finishProcessing();
    }

    /**
     * That share of documents created from now on end in status 9 with {@code status_descript = reason}.
     *
     * @param share  0..1
     * @param reason the failure reason
     * @return this
     */
    public FakeCoze failProcessing(double share, String reason) {
        faults.failProcessing(share, reason);
        return this;
    }

    /**
     * Documents created from now on whose content contains {@code marker} end in status 9. Takes precedence
     * over {@link #failProcessing}; may be called several times (first matching marker wins).
     *
     * @param marker text to look for in decoded document content
     * @param reason the failure reason
     * @return this
     */
    public FakeCoze failProcessingContaining(String marker, String reason) {
        faults.failProcessingContaining(marker, reason);
        return this;
    }
}
