package io.cozecdc.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

import io.cozecdc.changelog.Change;
import io.cozecdc.common.Sql;
import io.cozecdc.configs.SyncConfig;
import io.cozecdc.sink.CreateAttempts;
import io.cozecdc.sink.KnowledgeBase.NewDocument;
import io.cozecdc.sink.SinkErrorKind;
import io.cozecdc.sink.SinkException;
import io.cozecdc.sync.documents.CreateIntent;
import io.cozecdc.sync.documents.CreateIntentRepository;
import io.cozecdc.sync.documents.DocumentNames;
import io.cozecdc.sync.render.RenderedDocument;

/**
 * The create intents of one create call. When an attempt gets its permit, one intent per document is
 * written (the database's clock stamps both the row and the document's name) and leased to this
 * replica; the lease is renewed while the call and its commit run. The intents of an attempt Coze
 * refused are closed at once; those of an attempt without a usable answer (timeout, broken connection,
 * gateway error) are handed to the {@link IntentResolver} after {@code cdc.intents.settle}; those of the
 * attempt that was answered are closed by the commit that records its documents. When the delivery ends
 * ({@link #release()}) nothing of the call is renewed any more.
 */
final class IntentCall implements CreateAttempts {

    private final SyncConfig config;
    private final List<Change> changes;
    private final List<RenderedDocument> documents;
    private final CreateIntentRepository repository;
    private final LeaseKeeper keeper;
    private final IntentSettings settings;
    private final String owner;
    private final List<String> opened = new ArrayList<>();
    private boolean released;
    private volatile List<CreateIntent> current = List.of();

    IntentCall(SyncConfig config, List<Change> changes, List<RenderedDocument> documents, CreateIntentRepository repository,
            LeaseKeeper keeper, IntentSettings settings, String owner) {
        this.config = config;
        this.changes = changes;
        this.documents = documents;
        this.repository = repository;
        this.keeper = keeper;
        this.settings = settings;
        this.owner = owner;
    }

    @Override
    public Uni<List<NewDocument>> begin() {
        current = List.of();
        return Sql.bounded(repository.open(now -> {
            List<CreateIntent> intents = new ArrayList<>();
            for (int i = 0; i < changes.size(); i++) {
                Change c = changes.get(i);
                String name = DocumentNames.name(config.id(), c.logId(), now, c.table(), c.recordKey());
                intents.add(new CreateIntent(UUID.randomUUID().toString(), config.id(), config.datasetId(), c.table(),
                        c.recordKey(), c.logId(), c.operation().name(), c.capturedAt(), documents.get(i).hash(), name, now));
            }
            return intents;
        }, owner, settings.lease()), "the create intents").map(intents -> {
            List<String> ids = ids(intents);
            synchronized (opened) {
                opened.addAll(ids);
                // a delivery that ended (cancelled while this insert ran) no longer renews anything
                if (!released) {
                    keeper.holdIntents(ids);
                }
            }
            current = intents;
            List<NewDocument> docs = new ArrayList<>();
            for (int i = 0; i < intents.size(); i++) {
                docs.add(new NewDocument(intents.get(i).documentName(), documents.get(i).text()));
            }
            return docs;
        });
    }

    @Override
    public Uni<Void> failed(SinkException failure) {
        List<String> ids = ids(current);
        current = List.of();
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        keeper.dropIntents(ids);
        Uni<Void> settle = mayHaveCreated(failure)
                ? repository.lease(ids, settings.settle())
                : repository.close(ids).replaceWithVoid();
        Uni<Void> outcome = Sql.bounded(settle, "settling create intents");
        return outcome.onFailure().invoke(e -> Log.debugf("Could not settle %d create intents (their lease runs out "
                + "and the resolver takes them): %s", ids.size(), e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** The intents of the attempt that got an answer, in the order of the documents sent. */
    List<CreateIntent> answered() {
        return current;
    }

    /**
     * The delivery this call belongs to has ended, however (committed, failed, cancelled): its intents
     * are no longer renewed, now or if an insert still in flight opens more. An intent whose document
     * the commit did not record is then taken by the {@link IntentResolver} when its lease runs out.
     * Without this, a delivery cancelled while its call was in flight (a claim failure ending the
     * poller's loop, an abandoned round) left intents renewed for ever: their documents were never
     * adopted nor reconciled away, a duplicate of the row for as long as the process lived.
     */
    void release() {
        List<String> ids;
        synchronized (opened) {
            released = true;
            ids = List.copyOf(opened);
        }
        keeper.dropIntents(ids);
    }

    /**
     * True when Coze may have created the documents although the call failed: no answer in time, the
     * connection broke, or an HTTP 5xx without Coze's own body code (a gateway between us and Coze). An
     * answer carrying Coze's code is a definite refusal: nothing was created.
     */
    static boolean mayHaveCreated(SinkException e) {
        if (e.mayHaveApplied() || e.code() == SinkException.NO_ANSWER) {
            return true;
        }
        return e.httpStatus() >= 500 && e.code() == e.httpStatus() && e.kind() != SinkErrorKind.PERMANENT;
    }

    static List<String> ids(List<CreateIntent> intents) {
        return intents.stream().map(CreateIntent::id).toList();
    }
}
