package io.cozecdc.sink;

import java.util.List;

import io.smallrye.mutiny.Uni;

import io.cozecdc.sink.KnowledgeBase.NewDocument;

/**
 * The caller's side of one create call, attempt by attempt (a call may be retried at once after a
 * quick failure). {@link #begin()} runs when the attempt has its permit, right before the request
 * is sent, so what it records (and the time in the names) is the time of sending, not of planning.
 */
public interface CreateAttempts {

    /** The attempt has its permit: returns the documents to send now. A failure here sends nothing. */
    Uni<List<NewDocument>> begin();

    /** The attempt failed (answer refused, no answer, broken connection). Must not fail. */
    Uni<Void> failed(SinkException failure);

    /** The same documents for every attempt, nothing recorded. */
    static CreateAttempts of(List<NewDocument> documents) {
        return new CreateAttempts() {
            @Override
            public Uni<List<NewDocument>> begin() {
                return Uni.createFrom().item(documents);
            }

            @Override
            public Uni<Void> failed(SinkException failure) {
                return Uni.createFrom().voidItem();
            }
        };
    }
}
