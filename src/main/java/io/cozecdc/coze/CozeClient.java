package io.cozecdc.coze;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

import io.cozecdc.sink.CreateAttempts;
import io.cozecdc.sink.KnowledgeBase;
import io.cozecdc.sink.SinkErrorKind;
import io.cozecdc.sink.SinkException;

/**
 * Coze over HTTP. Owns the Bearer token, the {@code Agw-Js-Conv: str} header, ids sent and read as
 * JSON strings (the documented type), per-call timeouts, quick retries, the concurrency and rate limits,
 * parsing of code/msg/logid, and error classification (through {@link CozeErrors}).
 */
public class CozeClient implements KnowledgeBase {

    static final String JS_CONV = "str";
    static final String LOGID_HEADER = "X-Tt-Logid";
    private static final long THROTTLE_WARNING_EVERY_NANOS = 60_000_000_000L;

    private final CozeRestClient rest;
    private final CozeSettings config;
    private final CallLimiter limiter;
    private final CozeHealth health;
    private final ObjectMapper json;
    private final MeterRegistry meters;
    private final String authorization;
    /** Guarded by this. */
    private long lastThrottleWarning;
    private int slowdownsSinceWarning;

    public CozeClient(CozeRestClient rest, CozeSettings config, CallLimiter limiter, CozeHealth health, ObjectMapper json,
            MeterRegistry meters) {
        this.rest = rest;
        this.config = config;
        this.limiter = limiter;
        this.health = health;
        this.json = json;
        this.meters = meters;
        this.authorization = "Bearer " + config.apiToken().orElseThrow();
    }

    @Override
    public boolean isDryRun() {
        return false;
    }

    @Override
    public boolean isNotFound(SinkException failure) {
        return CozeErrors.isNotFound(failure);
    }

    @Override
    public boolean isThrottled(SinkException failure) {
        return CozeErrors.isThrottled(failure);
    }

    @Override
    public Limits limits() {
        return CozeLimits.of(config);
    }

    @Override
    public long requestBytes(List<NewDocument> documents) {
        return CozeLimits.requestBytes(documents);
    }

    @Override
    public Uni<List<CreatedDocument>> create(long datasetId, List<NewDocument> documents) {
        checkCreate(documents);
        return create(datasetId, CreateAttempts.of(documents));
    }

    @Override
    public Uni<List<CreatedDocument>> create(long datasetId, CreateAttempts attempts) {
        // the documents (and the names stamped with the time of sending) are made once the permit is granted
        Supplier<Uni<Response>> send = () -> attempts.begin().chain(documents -> {
            checkCreate(documents);
            String body = createBody(datasetId, documents);
            if (body.getBytes(StandardCharsets.UTF_8).length > config.maxBodyBytes()) {
                return Uni.createFrom().failure(new SinkException(SinkErrorKind.PERMANENT, 4000, 0,
                        "request body of " + body.length() + " bytes exceeds Coze's limit of " + config.maxBodyBytes()
                                + " bytes", null, false));
            }
            return rest.createDocuments(authorization, JS_CONV, body);
        });
        return call("create", true, false, send, answer -> {
            List<CreatedDocument> created = new ArrayList<>();
            for (JsonNode info : answer.path("document_infos")) {
                created.add(new CreatedDocument(info.path("document_id").asText(), info.path("name").asText()));
            }
            return created;
        }, attempts::failed);
    }

    private static void checkCreate(List<NewDocument> documents) {
        if (documents.isEmpty() || documents.size() > CozeLimits.MAX_DOCUMENTS_PER_CREATE) {
            throw new IllegalArgumentException(
                    "a create carries 1.." + CozeLimits.MAX_DOCUMENTS_PER_CREATE + " documents, not " + documents.size());
        }
    }

    @Override
    public Uni<Void> delete(List<String> documentIds) {
        checkIds(documentIds);
        ObjectNode body = json.createObjectNode();
        addIds(body.putArray("document_ids"), documentIds);
        return call("delete", false, () -> rest.deleteDocuments(authorization, JS_CONV, body.toString()), answer -> null);
    }

    @Override
    public Uni<DocumentPage> list(long datasetId, int page, int size) {
        ObjectNode body = json.createObjectNode();
        body.put("dataset_id", Long.toString(datasetId));
        body.put("page", page);
        body.put("size", size);
        // listings are housekeeping (reconciliation, probes of a configuration in ERROR): they yield to the sync
        return call("list", false, true, () -> rest.listDocuments(authorization, JS_CONV, body.toString()), answer -> {
            List<ListedDocument> docs = new ArrayList<>();
            for (JsonNode info : answer.path("document_infos")) {
                docs.add(new ListedDocument(info.path("document_id").asText(), info.path("name").asText(),
                        info.path("status").asInt(DocumentProgress.PROCESSING)));
            }
            return new DocumentPage(docs, answer.path("total").asLong(docs.size()));
        });
    }

    @Override
    public Uni<List<DocumentProgress>> progress(long datasetId, List<String> documentIds) {
        checkIds(documentIds);
        ObjectNode body = json.createObjectNode();
        addIds(body.putArray("document_ids"), documentIds);
        return call("progress", false, () -> rest.progress(authorization, Long.toString(datasetId), body.toString()), answer -> {
            List<DocumentProgress> result = new ArrayList<>();
            for (JsonNode p : answer.path("data").path("data")) {
                String reason = p.hasNonNull("status_descript") ? p.get("status_descript").asText() : null;
                result.add(new DocumentProgress(p.path("document_id").asText(), p.path("status").asInt(), reason));
            }
            return result;
        });
    }

    private String createBody(long datasetId, List<NewDocument> documents) {
        ObjectNode body = json.createObjectNode();
        body.put("dataset_id", Long.toString(datasetId));
        ArrayNode bases = body.putArray("document_bases");
        for (NewDocument d : documents) {
            ObjectNode base = bases.addObject();
            base.put("name", d.name());
            ObjectNode source = base.putObject("source_info");
            source.put("file_base64", Base64.getEncoder().encodeToString(d.content().getBytes(StandardCharsets.UTF_8)));
            source.put("file_type", "txt");
        }
        ObjectNode chunking = body.putObject("chunk_strategy");
        chunking.put("chunk_type", 1);
        chunking.put("separator", config.chunking().separator());
        chunking.put("max_tokens", config.chunking().maxTokens());
        chunking.put("remove_extra_spaces", false);
        chunking.put("remove_urls_emails", false);
        body.put("format_type", 0);
        return body.toString();
    }

    /**
     * Ids go out as JSON strings: the documented type ("Array of String") of {@code document_ids} on
     * delete and process, and the form all four official SDKs send to process.
     */
    private static void addIds(ArrayNode array, List<String> ids) {
        for (String id : ids) {
            array.add(id);
        }
    }

    private static void checkIds(List<String> ids) {
        if (ids.isEmpty() || ids.size() > CozeLimits.MAX_IDS_PER_CALL) {
            throw new IllegalArgumentException("a call carries 1.." + CozeLimits.MAX_IDS_PER_CALL + " ids, not " + ids.size());
        }
    }

    /**
     * One Coze call through the limiter, with a timeout, quick retries of retryable failures (never
     * of a create that may have been applied), health bookkeeping and a timer per endpoint and outcome.
     */
    private <T> Uni<T> call(String endpoint, boolean isCreate, Supplier<Uni<Response>> send, Function<JsonNode, T> extract) {
        return call(endpoint, isCreate, false, send, extract);
    }

    private <T> Uni<T> call(String endpoint, boolean isCreate, boolean inBackground, Supplier<Uni<Response>> send,
            Function<JsonNode, T> extract) {
        return call(endpoint, isCreate, inBackground, send, extract, e -> Uni.createFrom().voidItem());
    }

    /** {@code attemptFailed} hears of every failed attempt (before a quick retry), inside the permit. */
    private <T> Uni<T> call(String endpoint, boolean isCreate, boolean inBackground, Supplier<Uni<Response>> send,
            Function<JsonNode, T> extract, Function<SinkException, Uni<Void>> attemptFailed) {
        Supplier<Uni<T>> permitted = () -> {
            Timer.Sample sample = Timer.start(meters);
            return send.get()
                    .ifNoItem().after(config.requestTimeout()).failWith(TimeoutException::new)
                    .map(response -> parse(response, extract))
                    .onFailure(e -> !(e instanceof SinkException))
                    .transform(e -> CozeErrors.fromTransport(e, timedOut(e)))
                    .onItemOrFailure().invoke((item, failure) -> record(endpoint, sample, failure))
                    .onFailure(SinkException.class).call(e -> attemptFailed.apply((SinkException) e)
                            .onFailure().recoverWithNull());
        };
        Uni<T> once = inBackground ? limiter.runInBackground(permitted) : limiter.run(permitted);
        return once.onFailure(e -> shouldRetryNow(e, isCreate))
                .retry().withBackOff(config.callRetryBackoff(), config.callRetryBackoff().multipliedBy(8))
                .atMost(config.callRetries());
    }

    private static boolean shouldRetryNow(Throwable e, boolean isCreate) {
        return e instanceof SinkException ce && ce.isRetryable() && !(isCreate && ce.mayHaveApplied());
    }

    private void record(String endpoint, Timer.Sample sample, Throwable failure) {
        String outcome = "success";
        if (failure instanceof SinkException ce) {
            outcome = ce.kind().name().toLowerCase();
            if (ce.isRetryable()) {
                health.failed(ce.describe());
                if (CozeErrors.isThrottled(ce)) {
                    slowDown(ce);
                }
            } else if (CozeErrors.isAuthFailure(ce)) {
                health.refused(ce.describe());
            } else {
                health.answered();
            }
            Log.debugf("Coze %s failed: %s", endpoint, ce.describe());
        } else {
            health.answered();
        }
        sample.stop(Timer.builder("coze.requests").description("Calls to Coze by endpoint and outcome")
                .tags("endpoint", endpoint, "outcome", outcome).register(meters));
    }

    /**
     * Lowers the call rate. Against a steady quota the rate saws up and down every few seconds, so the
     * WARN line comes at most once a minute and counts the slowdowns in between.
     */
    private void slowDown(SinkException throttle) {
        double lowered = limiter.throttled();
        if (lowered <= 0) {
            return;
        }
        long now = System.nanoTime();
        int slowdowns;
        synchronized (this) {
            slowdownsSinceWarning++;
            if (lastThrottleWarning != 0 && now - lastThrottleWarning < THROTTLE_WARNING_EVERY_NANOS) {
                return;
            }
            slowdowns = slowdownsSinceWarning;
            slowdownsSinceWarning = 0;
            lastThrottleWarning = now;
        }
        Log.warnf("Coze is throttling calls (%s): starting at most %.1f calls/s now, climbing back to %.0f "
                + "(coze.rate-limit-per-second) while Coze accepts them%s", throttle.describe(), lowered, limiter.maxRate(),
                slowdowns > 1 ? "; slowed down " + slowdowns + " times since the last such line" : "");
    }

    private <T> T parse(Response response, Function<JsonNode, T> extract) {
        int status = response.getStatus();
        String logid = response.getHeaderString(LOGID_HEADER);
        String text = response.hasEntity() ? response.readEntity(String.class) : "";
        JsonNode answer = readJson(text);
        if (answer == null) {
            if (status >= 200 && status < 300) {
                throw new SinkException(SinkErrorKind.RETRYABLE, status, status,
                        "answer is not JSON: " + snippet(text), logid, false);
            }
            throw CozeErrors.fromAnswer(status, null, snippet(text), logid);
        }
        if (logid == null || logid.isBlank()) {
            logid = answer.path("detail").path("logid").asText(null);
        }
        Integer code = answer.has("code") && answer.get("code").canConvertToInt() ? answer.get("code").asInt() : null;
        if (status >= 200 && status < 300 && code != null && code == 0) {
            return extract.apply(answer);
        }
        String message = answer.path("msg").asText(null);
        throw CozeErrors.fromAnswer(status, code, message == null ? snippet(text) : message, logid);
    }

    private JsonNode readJson(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            JsonNode node = json.readTree(text);
            return node != null && node.isObject() ? node : null;
        } catch (Exception e) {
            return null;
        }
    }

    private static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TimeoutException || (t.getMessage() != null && t.getMessage().contains("timeout"))) {
                return true;
            }
        }
        return false;
    }

    private static String snippet(String text) {
        if (text == null) {
            return "";
        }
        String oneLine = text.replaceAll("\\s+", " ").strip();
        return oneLine.length() > 200 ? oneLine.substring(0, 200) + "…" : oneLine;
    }
}
