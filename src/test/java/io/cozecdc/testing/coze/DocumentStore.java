package io.cozecdc.testing.coze;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Datasets, documents and the event history of a {@link FakeCoze}, guarded by one lock.
 *
 * <p>Processing is resolved lazily but exactly: every document knows the instant its processing ends
 * and its final status; before any read or write the store "settles" every document whose instant has
 * passed and inserts the DONE/FAILED event at that instant, so the history is always in time order.
 * Documents still processing wait in a queue ordered by that instant, so settling costs nothing per
 * document already settled (benchmarks hold a million documents).
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

    /** One page of a dataset's documents and the dataset's total. */
    record Page(List<DocumentView> documents, int total) {
    }

    /** Mutable state of one stored document; only touched under the store lock. */
    private static final class Stored {
        final long seq;
        final String id;
        final String datasetId;
        final String name;
        final String content;
        final JsonNode chunkStrategy;
        final Instant createdAt;
        /** When processing ends; brought forward by {@link DocumentStore#finishProcessing()}. */
        Instant dueAt;
        final Faults.Outcome outcome;
        int status = FakeDocument.PROCESSING;

        Stored(long seq, String id, String datasetId, NewDocument doc, Instant createdAt) {
            this.seq = seq;
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
    /** The same documents per dataset, creation order. */
    private final Map<String, Map<String, Stored>> byDataset = new LinkedHashMap<>();
    /** Documents whose processing has not been settled yet, by due instant then creation order. */
    private final PriorityQueue<Stored> processing = new PriorityQueue<>(
            Comparator.comparing((Stored s) -> s.dueAt).thenComparingLong(s -> s.seq));
    private final List<FakeEvent> events = new ArrayList<>();
    private long nextDatasetId = FIRST_DATASET_ID;
    private long nextDocumentId = FIRST_DOCUMENT_ID;
    private long nextSeq;
    private long createdSinceReset;

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
                Stored stored = new Stored(nextSeq++, Long.toString(nextDocumentId++), datasetId, doc, now);
                documents.put(stored.id, stored);
                byDataset.computeIfAbsent(datasetId, d -> new LinkedHashMap<>()).put(stored.id, stored);
                processing.add(stored);
                createdSinceReset++;
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
                    byDataset.get(stored.datasetId).remove(id);
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
            for (Stored stored : byDataset.getOrDefault(datasetId, Map.of()).values()) {
                views.add(stored.view());
            }
            return views;
        }
    }

    /** Up to {@code size} documents of a dataset from position {@code offset} (creation order), and the total. */
    Page page(String datasetId, long offset, int size) {
        return page(datasetId, offset, size, false);
    }

    /** Like {@link #page(String, long, int)}; {@code newestFirst} lists in reverse creation order. */
    Page page(String datasetId, long offset, int size, boolean newestFirst) {
        synchronized (lock) {
            settle();
            Map<String, Stored> docs = byDataset.getOrDefault(datasetId, Map.of());
            List<DocumentView> views = new ArrayList<>();
            long index = 0;
            List<Stored> ordered = new ArrayList<>(docs.values());
            if (newestFirst) {
                java.util.Collections.reverse(ordered);
            }
            for (Stored stored : ordered) {
                if (views.size() == size) {
                    break;
                }
                if (index++ >= offset) {
                    views.add(stored.view());
                }
            }
            return new Page(views, docs.size());
        }
    }

    /** How many documents create calls registered since the last reset (deleted ones included). */
    long createdCount() {
        synchronized (lock) {
            return createdSinceReset;
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

    /**
     * Ends the processing of every document still processing: each takes the outcome decided at its creation, now.
     * Returns how many did.
     */
    int finishProcessing() {
        synchronized (lock) {
            Instant now = settle();
            List<Stored> waiting = new ArrayList<>(processing);
            processing.clear();
            int finished = 0;
            for (Stored stored : waiting) {
                // as in settle: a document deleted while processing never finishes
                if (documents.get(stored.id) == stored && stored.status == FakeDocument.PROCESSING) {
                    stored.dueAt = now;
                    processing.add(stored);
                    finished++;
                }
            }
            settle();
            return finished;
        }
    }

    /** Forgets documents and events; keeps datasets and the id counters. */
    void reset() {
        synchronized (lock) {
            documents.clear();
            byDataset.clear();
            processing.clear();
            events.clear();
            createdSinceReset = 0;
        }
    }

    /** Moves every document whose processing has ended to its final status; returns "now". Caller holds the lock. */
    private Instant settle() {
        Instant now = clock.now();
        List<Stored> due = new ArrayList<>();
        while (!processing.isEmpty() && !processing.peek().dueAt.isAfter(now)) {
            Stored stored = processing.poll();
            // a document deleted while processing never finishes
            if (documents.get(stored.id) == stored && stored.status == FakeDocument.PROCESSING) {
                due.add(stored);
            }
        }
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
