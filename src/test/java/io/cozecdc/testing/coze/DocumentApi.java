package io.cozecdc.testing.coze;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cozecdc.testing.coze.DocumentStore.DocumentView;
import io.cozecdc.testing.coze.DocumentStore.NewDocument;
import io.cozecdc.testing.coze.FakeCoze.Endpoint;

/**
 * The four knowledge endpoints: strict validation first ({@link #prepare}), then a {@link Command}
 * that applies the call and builds the success payload.
 */
final class DocumentApi {

    static final int MAX_DOCUMENTS_PER_CREATE = 10;
    static final int MAX_IDS_PER_DELETE = 100;

    /** A validated call, ready to apply; returns the success payload (without code/msg/detail). */
    interface Command {
        ObjectNode execute();
    }

    /** One validated entry of {@code document_bases}. */
    private record Base(String name, String content) {
    }

    private final DocumentStore store;
    private final Faults faults;
    private final RequestLog log;
    private final MonotonicClock clock;

    DocumentApi(DocumentStore store, Faults faults, RequestLog log, MonotonicClock clock) {
        this.store = store;
        this.faults = faults;
        this.log = log;
        this.clock = clock;
    }

    /** Validates the call; throws {@link ApiException} on the first violation. */
    Command prepare(Route route, ObjectNode body) {
        switch (route.endpoint()) {
            case CREATE:
                return prepareCreate(body);
            case DELETE:
                return prepareDelete(body);
            case LIST:
                return prepareList(body);
            case PROCESS:
                return prepareProcess(route.pathDatasetId(), body);
            default:
                throw new IllegalArgumentException("no handler for " + route);
        }
    }

    private Command prepareCreate(ObjectNode body) {
        String datasetId = JsonFields.datasetId(body);
        JsonNode bases = body.get("document_bases");
        if (bases == null || !bases.isArray()) {
            throw ApiException.badRequest("document_bases must be an array");
        }
        if (bases.isEmpty()) {
            throw ApiException.badRequest("document_bases must not be empty");
        }
        if (bases.size() > MAX_DOCUMENTS_PER_CREATE) {
            throw ApiException.badRequest("at most " + MAX_DOCUMENTS_PER_CREATE + " documents per call (got "
                    + bases.size() + ")");
        }
        List<Base> parsed = new ArrayList<>();
        for (int i = 0; i < bases.size(); i++) {
            parsed.add(parseBase(bases.get(i), "document_bases[" + i + "]."));
        }
        JsonNode chunkStrategy = ChunkStrategies.validate(body.get("chunk_strategy"));
        JsonNode formatType = body.get("format_type");
        if (formatType == null || !formatType.isIntegralNumber() || formatType.bigIntegerValue().signum() != 0) {
            throw ApiException.badRequest("format_type must be 0 (text), got "
                    + (formatType == null ? "nothing" : JsonFields.describe(formatType)));
        }
        requireDataset(datasetId);
        return () -> create(datasetId, parsed, chunkStrategy);
    }

    private ObjectNode create(String datasetId, List<Base> bases, JsonNode chunkStrategy) {
        List<String> contents = new ArrayList<>();
        bases.forEach(b -> contents.add(b.content()));
        Optional<String> marker = faults.rejectedMarker(contents);
        if (marker.isPresent()) {
            throw new ApiException(200, 4000, "document content contains the rejected marker \"" + marker.get() + "\"");
        }
        Duration delay = faults.processingDelay();
        List<NewDocument> docs = new ArrayList<>();
        for (Base base : bases) {
            docs.add(new NewDocument(base.name(), base.content(), chunkStrategy.deepCopy(),
                    faults.outcomeFor(base.content()), delay));
        }
        ObjectNode payload = JsonFields.MAPPER.createObjectNode();
        ArrayNode infos = payload.putArray("document_infos");
        for (DocumentView view : store.create(datasetId, docs)) {
            infos.add(documentInfo(view, true));
        }
        return payload;
    }

    private Command prepareDelete(ObjectNode body) {
        JsonFields.Ids ids = JsonFields.documentIds(body, MAX_IDS_PER_DELETE,
                "at most " + MAX_IDS_PER_DELETE + " ids per call");
        log.recordIdForm(Endpoint.DELETE, ids.form());
        return () -> {
            store.delete(ids.ids());
            return JsonFields.MAPPER.createObjectNode();
        };
    }

    private Command prepareList(ObjectNode body) {
        String datasetId = JsonFields.datasetId(body);
        int page = JsonFields.optionalInt(body, "page", 1, 1, Integer.MAX_VALUE);
        // no maximum is documented; a cap set with FakeCoze.capListPage shortens the page served
        int size = faults.listPageSize(JsonFields.optionalInt(body, "size", 10, 1, Integer.MAX_VALUE));
        requireDataset(datasetId);
        return () -> {
            DocumentStore.Page found = store.page(datasetId, (long) (page - 1) * size, size, faults.listNewestFirst());
            ObjectNode payload = JsonFields.MAPPER.createObjectNode();
            ArrayNode infos = payload.putArray("document_infos");
            for (DocumentView view : found.documents()) {
                infos.add(documentInfo(view, false));
            }
            payload.put("total", found.total());
            // another client's deletion between this page read and the caller's next one (FakeCoze.deleteAfterNextList)
            List<String> deleted = faults.takeDeleteAfterList();
            if (!deleted.isEmpty()) {
                store.delete(deleted);
            }
            return payload;
        };
    }

    private Command prepareProcess(String pathDatasetId, ObjectNode body) {
        String datasetId = JsonFields.pathDatasetId(pathDatasetId);
        JsonFields.Ids ids = JsonFields.documentIds(body, Integer.MAX_VALUE, "too many document_ids");
        requireDataset(datasetId);
        log.recordIdForm(Endpoint.PROCESS, ids.form());
        return () -> {
            Instant now = clock.now();
            ObjectNode payload = JsonFields.MAPPER.createObjectNode();
            ArrayNode items = payload.putObject("data").putArray("data");
            for (DocumentView view : store.find(datasetId, ids.ids())) {
                items.add(progress(view, now));
            }
            return payload;
        };
    }

    private void requireDataset(String datasetId) {
        if (faults.isDatasetMissing(datasetId) || !store.datasetExists(datasetId)) {
            throw ApiException.notFound("resource not found: dataset " + datasetId);
        }
    }

    private static Base parseBase(JsonNode base, String where) {
        if (base == null || !base.isObject()) {
            throw ApiException.badRequest(where.substring(0, where.length() - 1) + " must be an object");
        }
        String name = JsonFields.requiredText(base, "name", where);
        JsonNode source = base.get("source_info");
        if (source == null || !source.isObject()) {
            throw ApiException.badRequest(where + "source_info must be an object");
        }
        String sourceWhere = where + "source_info.";
        JsonNode documentSource = source.get("document_source");
        boolean localFile = documentSource == null
                || documentSource.isIntegralNumber() && documentSource.bigIntegerValue().signum() == 0;
        if (!localFile) {
            throw ApiException.badRequest(sourceWhere + "document_source must be 0 (local file) or absent");
        }
        String fileType = JsonFields.requiredText(source, "file_type", sourceWhere);
        if (!"txt".equals(fileType)) {
            throw ApiException.badRequest(sourceWhere + "file_type must be \"txt\", got \"" + fileType + "\"");
        }
        String base64 = JsonFields.requiredText(source, "file_base64", sourceWhere);
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(sourceWhere + "file_base64 is not valid base64: " + e.getMessage());
        }
        return new Base(name, utf8(bytes, sourceWhere));
    }

    private static String utf8(byte[] bytes, String where) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest(where + "file_base64 does not decode to UTF-8 text");
        }
    }

    /** DocumentInfo as create (fresh: just registered, all counters 0) and list return it. */
    private static ObjectNode documentInfo(DocumentView view, boolean fresh) {
        FakeDocument doc = view.document();
        boolean done = !fresh && doc.status() == FakeDocument.DONE;
        long created = fresh ? 0 : doc.createdAt().getEpochSecond();
        ObjectNode info = JsonFields.MAPPER.createObjectNode();
        info.put("document_id", doc.documentId());
        info.put("name", doc.name());
        info.put("char_count", done ? doc.content().codePointCount(0, doc.content().length()) : 0);
        info.set("chunk_strategy", view.chunkStrategy().deepCopy());
        info.put("create_time", created);
        info.put("update_time", created);
        info.put("format_type", 0);
        info.put("hit_count", 0);
        info.put("size", doc.content().getBytes(StandardCharsets.UTF_8).length);
        info.put("slice_count", done ? ChunkStrategies.sliceCount(view.chunkStrategy(), doc.content()) : 0);
        info.put("source_type", 0);
        info.put("status", fresh ? FakeDocument.PROCESSING : doc.status());
        info.put("type", "txt");
        info.put("update_type", 0);
        info.put("update_interval", 0);
        info.put("tos_uri", "");
        return info;
    }

    /** DocumentProgress as the process endpoint returns it. */
    private static ObjectNode progress(DocumentView view, Instant now) {
        FakeDocument doc = view.document();
        ObjectNode item = JsonFields.MAPPER.createObjectNode();
        item.put("document_id", doc.documentId());
        item.put("document_name", doc.name());
        item.put("status", doc.status());
        item.put("progress", percent(view, now));
        item.put("remaining_time", remainingSeconds(view, now));
        if (doc.status() == FakeDocument.FAILED) {
            item.put("status_descript", doc.failureReason());
        }
        item.put("size", doc.content().getBytes(StandardCharsets.UTF_8).length);
        item.put("type", "txt");
        item.put("url", "");
        item.put("update_type", 0);
        item.put("update_interval", 0);
        return item;
    }

    private static int percent(DocumentView view, Instant now) {
        switch (view.document().status()) {
            case FakeDocument.DONE:
                return 100;
            case FakeDocument.FAILED:
                return 0;
            default:
                long total = Duration.between(view.document().createdAt(), view.dueAt()).toMillis();
                long elapsed = Duration.between(view.document().createdAt(), now).toMillis();
                return total <= 0 ? 99 : (int) Math.max(0, Math.min(99, elapsed * 100 / total));
        }
    }

    private static long remainingSeconds(DocumentView view, Instant now) {
        if (view.document().status() != FakeDocument.PROCESSING) {
            return 0;
        }
        long millis = Math.max(0, Duration.between(now, view.dueAt()).toMillis());
        return (millis + 999) / 1000;
    }
}
