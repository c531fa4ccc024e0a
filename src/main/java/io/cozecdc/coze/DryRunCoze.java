package io.cozecdc.coze;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

import io.cozecdc.sink.KnowledgeBase;
import io.cozecdc.sink.SinkErrorKind;
import io.cozecdc.sink.SinkException;

/**
 * A Coze stand-in for dev mode and demos without a token: every document the service would create
 * is written to {@code <dir>/<dataset>/<document id>.txt} and logged (name and size only); deletes
 * remove the file. Documents are "done" at once.
 */
public class DryRunCoze implements KnowledgeBase {

    private final Path dir;
    private final Limits limits;
    private final AtomicLong ids = new AtomicLong(7_000_000_000_000_000_000L + (System.currentTimeMillis() % 1_000_000_000L) * 1000);
    private final Map<String, Stored> documents = new LinkedHashMap<>();

    public DryRunCoze(Path dir, Limits limits) {
        this.dir = dir;
        this.limits = limits;
        load();
        Log.warnf("Coze dry-run: nothing is sent to Coze; documents are written under %s. "
                + "Set COZE_API_TOKEN to sync for real.", dir.toAbsolutePath());
    }

    /**
     * Takes back the documents an earlier run left under {@code dir}, as Coze would still hold them:
     * the dev database now survives a restart and points at them. Those nothing points to any more
     * (the database was wiped, or the config deleted) are orphans, and reconciliation deletes them
     * (their files with them) like any orphan in Coze.
     */
    private void load() {
        if (!Files.isDirectory(dir)) {
            return;
        }
        long highest = 0;
        try (var files = Files.walk(dir, 2)) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("\\d{1,19}\\.txt")).toList()) {
                String id = file.getFileName().toString().replace(".txt", "");
                String dataset = file.getParent().getFileName().toString();
                String first = Files.readAllLines(file, StandardCharsets.UTF_8).stream().findFirst().orElse("");
                if (!dataset.matches("\\d{1,19}") || !first.startsWith("# ")) {
                    continue;
                }
                documents.put(id, new Stored(Long.parseLong(dataset), first.substring(2), file));
                highest = Math.max(highest, Long.parseLong(id));
            }
        } catch (IOException | RuntimeException e) {
            Log.warnf("Coze dry-run: could not read the documents of an earlier run under %s: %s", dir.toAbsolutePath(), e.getMessage());
        }
        long above = highest;
        ids.updateAndGet(current -> Math.max(current, above));
        if (!documents.isEmpty()) {
            Log.infof("Coze dry-run: %d documents of an earlier run found under %s", documents.size(), dir.toAbsolutePath());
        }
    }

    @Override
    public boolean isDryRun() {
        return true;
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
        return limits;
    }

    @Override
    public long requestBytes(List<NewDocument> documents) {
        return CozeLimits.requestBytes(documents);
    }

    @Override
    public Uni<List<CreatedDocument>> create(long datasetId, List<NewDocument> newDocuments) {
        return blocking(() -> {
            List<CreatedDocument> created = new ArrayList<>();
            for (NewDocument d : newDocuments) {
                String id = Long.toString(ids.incrementAndGet());
                Path file = dir.resolve(Long.toString(datasetId)).resolve(id + ".txt");
                Files.createDirectories(file.getParent());
                Files.writeString(file, "# " + d.name() + "\n" + d.content(), StandardCharsets.UTF_8);
                synchronized (documents) {
                    documents.put(id, new Stored(datasetId, d.name(), file));
                }
                created.add(new CreatedDocument(id, d.name()));
                Log.infof("[dry-run] created document %s '%s' in dataset %d (%d characters) -> %s",
                        id, d.name(), datasetId, d.content().length(), file);
            }
            return created;
        });
    }

    @Override
    public Uni<Void> delete(List<String> documentIds) {
        return blocking(() -> {
            for (String id : documentIds) {
                Stored gone;
                synchronized (documents) {
                    gone = documents.remove(id);
                }
                if (gone != null) {
                    Files.deleteIfExists(gone.file());
                    Log.infof("[dry-run] deleted document %s '%s' from dataset %d", id, gone.name(), gone.datasetId());
                }
            }
            return null;
        });
    }

    @Override
    public Uni<DocumentPage> list(long datasetId, int page, int size) {
        List<ListedDocument> all = new ArrayList<>();
        synchronized (documents) {
            documents.forEach((id, d) -> {
                if (d.datasetId() == datasetId) {
                    all.add(new ListedDocument(id, d.name(), DocumentProgress.DONE));
                }
            });
        }
        int from = Math.min(all.size(), (page - 1) * size);
        return Uni.createFrom().item(new DocumentPage(all.subList(from, Math.min(all.size(), from + size)), all.size()));
    }

    @Override
    public Uni<List<DocumentProgress>> progress(long datasetId, List<String> documentIds) {
        List<DocumentProgress> result = new ArrayList<>();
        synchronized (documents) {
            for (String id : documentIds) {
                if (documents.containsKey(id)) {
                    result.add(new DocumentProgress(id, DocumentProgress.DONE, null));
                }
            }
        }
        return Uni.createFrom().item(result);
    }

    private static <T> Uni<T> blocking(IoSupplier<T> work) {
        return Uni.createFrom().item(() -> {
            try {
                return work.get();
            } catch (IOException e) {
                throw new SinkException(SinkErrorKind.RETRYABLE, SinkException.NO_ANSWER, 0,
                        "dry-run could not write: " + e.getMessage(), null, false);
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private record Stored(long datasetId, String name, Path file) {
    }

    @FunctionalInterface
    private interface IoSupplier<T> {
        T get() throws IOException;
    }
}
