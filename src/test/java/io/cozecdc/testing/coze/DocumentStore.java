package io.cozecdc.testing.coze;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Datasets, documents and the event history of a {@link FakeCoze}, guarded by one lock.
 *
 * <p>Processing is resolved lazily but exactly: every document knows the instant its processing ends
 * and its final status; before any read or write the store "settles" every document whose instant has
 * passed and inserts the DONE/FAILED event at that instant, so the history is always in time order.
 */
final class DocumentStore {

    private static final long FIRST_DATASET_ID = 7_300_000_000_000_000_001L;
    private static final long FIRST_DOCUMENT_ID = 7_400_000_000_000_000_001L;

    /** A document to register, with its processing already decided. */
    record NewDocument(String name, String content, JsonNode chunkStrategy, Faults.Outcome outcome,
            Duration processingDelay) {
    }

    /** A document snapshot plus what the HTTP answers need beyond {@link FakeDocument}. */
    record DocumentView(FakeDocument document, JsonNode chunkStrategy, Instant dueAt) {
    }

    /** Mutable state of one stored document; only touched under the store lock. */
    private static final class Stored {
        final String id;
        final String datasetId;
        final String name;
        final String content;
        final JsonNode chunkStrategy;
        final Instant createdAt;
        final Instant dueAt;
        final Faults.Outcome outcome;
        int status = FakeDocument.PROCESSING;

        Stored(String id, String datasetId, NewDocument doc, Instant createdAt) {
            this.id = id;
            this.datasetId = datasetId;
            this.name = doc.name();
            this.content = doc.content();
            this.chunkStrategy = doc.chunkStrategy();
            this.createdAt = createdAt;
            this.dueAt = createdAt.plus(doc.processingDelay());
            this.outcome = doc.outcome();
        }

        DocumentView view() {
            String reason = status == FakeDocument.FAILED ? outcome.reason() : null;
            return new DocumentView(new FakeDocument(id, datasetId, name, content, status, reason, createdAt),
                    chunkStrategy, dueAt);
        }

        FakeEvent event(Instant at, FakeEvent.Type type) {
            return new FakeEvent(at, type, id, datasetId, name, content);
        }
    }

    private final Object lock = new Object();
    private final MonotonicClock clock;
    private final Map<String, String> datasets = new LinkedHashMap<>();
    private final Map<String, Stored> documents = new LinkedHashMap<>();
    private final List<FakeEvent> events = new ArrayList<>();
    private long nextDatasetId = FIRST_DATASET_ID;
    private long nextDocumentId = FIRST_DOCUMENT_ID;

    DocumentStore(MonotonicClock clock) {
        this.clock = clock;
    }

    String createDataset(String name) {
        synchronized (lock) {
            String id = Long.toString(nextDatasetId++);
            datasets.put(id, name);
            return id;
        }
    }

    boolean datasetExists(String datasetId) {
        synchronized (lock) {
            return datasets.containsKey(datasetId);
        }
    }

    /** Registers documents (status 0) and records their CREATED events; returns them in order. */
    List<DocumentView> create(String datasetId, List<NewDocument> newDocuments) {
        synchronized (lock) {
            Instant now = settle();
            List<DocumentView> created = new ArrayList<>();
            for (NewDocument doc : newDocuments) {
                Stored stored = new Stored(Long.toString(nextDocumentId++), datasetId, doc, now);
                documents.put(stored.id, stored);
                events.add(stored.event(now, FakeEvent.Type.CREATED));
                created.add(stored.view());
            }
            return created;
        }
    }

    /** Removes the known documents among {@code ids} (unknown ids are ignored); returns how many. */
    int delete(Collection<String> ids) {
        synchronized (lock) {
            Instant now = settle();
            int removed = 0;
            for (String id : ids) {
                Stored stored = documents.remove(id);
                if (stored != null) {
                    events.add(stored.event(now, FakeEvent.Type.DELETED));
                    removed++;
                }
            }
            return removed;
        }
    }

    /** Documents of a dataset in creation order. */
    List<DocumentView> list(String datasetId) {
        synchronized (lock) {
            settle();
            List<DocumentView> views = new ArrayList<>();
            for (Stored stored : documents.values()) {
                if (stored.datasetId.equals(datasetId)) {
                    views.add(stored.view());
                }
            }
            return views;
        }
    }

    /** The documents of {@code datasetId} named by {@code ids}, in request order, without unknowns or repeats. */
    List<DocumentView> find(String datasetId, Collection<String> ids) {
        synchronized (lock) {
            settle();
            Map<String, DocumentView> found = new LinkedHashMap<>();
            for (String id : ids) {
                Stored stored = documents.get(id);
                if (stored != null && stored.datasetId.equals(datasetId)) {
                    found.putIfAbsent(id, stored.view());
                }
            }
            return new ArrayList<>(found.values());
        }
    }

    /** Current documents of a dataset, creation order. */
    List<FakeDocument> documents(String datasetId) {
        List<FakeDocument> result = new ArrayList<>();
        for (DocumentView view : list(datasetId)) {
            result.add(view.document());
        }
        return result;
    }

    /** Current documents of every dataset, creation order. */
    List<FakeDocument> allDocuments() {
        synchronized (lock) {
            settle();
            List<FakeDocument> result = new ArrayList<>();
            for (Stored stored : documents.values()) {
                result.add(stored.view().document());
            }
            return result;
        }
    }

    /** The whole history in time order. */
    List<FakeEvent> events() {
        synchronized (lock) {
            settle();
            return List.copyOf(events);
        }
    }

    /** Forgets documents and events; keeps datasets and the id counters. */
    void reset() {
        synchronized (lock) {
            documents.clear();
            events.clear();
        }
    }

    /** Moves every document whose processing has ended to its final status; returns "now". Caller holds the lock. */
    private Instant settle() {
        Instant now = clock.now();
        List<Stored> due = new ArrayList<>();
        for (Stored stored : documents.values()) {
            if (stored.status == FakeDocument.PROCESSING && !stored.dueAt.isAfter(now)) {
                due.add(stored);
            }
        }
        due.sort(Comparator.comparing((Stored s) -> s.dueAt));
        for (Stored stored : due) {
            stored.status = stored.outcome.status();
            FakeEvent.Type type = stored.status == FakeDocument.DONE ? FakeEvent.Type.DONE : FakeEvent.Type.FAILED;
            insertInTimeOrder(stored.event(stored.dueAt, type));
        }
        return now;
    }

    private void insertInTimeOrder(FakeEvent event) {
        int index = events.size();
        while (index > 0 && events.get(index - 1).at().isAfter(event.at())) {
            index--;
        }
        events.add(index, event);
    }
}
