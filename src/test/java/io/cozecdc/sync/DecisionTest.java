package io.cozecdc.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.cozecdc.changelog.Change;
import io.cozecdc.changelog.ChangeData;
import io.cozecdc.changelog.Operation;

/** The version guard and content-hash rules, case by case. */
class DecisionTest {

    static final String H1 = "h1";
    static final String H2 = "h2";

    @Test
    void anOlderChangeThanTheAcceptedOneIsStale() {
        DocState state = new DocState(1, "k", "d1", H1, 10, false, null, null);
        assertThat(Decision.of(state, change(9, Operation.UPDATE), H2)).isEqualTo(Decision.STALE);
        assertThat(Decision.of(state, change(9, Operation.DELETE), null)).isEqualTo(Decision.STALE);
    }

    @Test
    void newContentIsCreatedAndTheSameContentIsNot() {
        DocState state = new DocState(1, "k", "d1", H1, 10, false, null, null);
        assertThat(Decision.of(state, change(11, Operation.UPDATE), H2)).isEqualTo(Decision.CREATE);
        assertThat(Decision.of(state, change(11, Operation.UPDATE), H1)).isEqualTo(Decision.UNCHANGED);
        assertThat(Decision.of(DocState.absent(1, "k"), change(1, Operation.INSERT), H1)).isEqualTo(Decision.CREATE);
    }

    @Test
    void contentBeingProcessedCountsAsHeld() {
        DocState processing = new DocState(1, "k", "d1", H1, 12, false, "d2", H2);
        assertThat(Decision.of(processing, change(13, Operation.UPDATE), H2)).isEqualTo(Decision.UNCHANGED);
        // going back to the live content: no new document (the pending one gets cancelled at commit)
        assertThat(Decision.of(processing, change(13, Operation.UPDATE), H1)).isEqualTo(Decision.UNCHANGED);
        assertThat(Decision.of(processing, change(13, Operation.UPDATE), "h3")).isEqualTo(Decision.CREATE);
    }

    @Test
    void reApplyingTheAcceptedChangeIsANoOpButAFailedUploadOfItIsRedone() {
        DocState accepted = new DocState(1, "k", "d1", H1, 12, false, "d2", H2);
        assertThat(Decision.of(accepted, change(12, Operation.UPDATE), H2)).isEqualTo(Decision.UNCHANGED);
        DocState uploadFailed = new DocState(1, "k", "d1", H1, 12, false, null, null);
        assertThat(Decision.of(uploadFailed, change(12, Operation.UPDATE), H2)).isEqualTo(Decision.CREATE);
    }

    @Test
    void tombstonesStopOlderChangesAndAllowNewerOnes() {
        DocState tombstone = DocState.absent(1, "k").tombstone(20);
        assertThat(Decision.of(tombstone, change(19, Operation.INSERT), H1)).isEqualTo(Decision.STALE);
        assertThat(Decision.of(tombstone, change(20, Operation.DELETE), null)).isEqualTo(Decision.STALE);
        assertThat(Decision.of(tombstone, change(21, Operation.INSERT), H1)).isEqualTo(Decision.CREATE);
        assertThat(Decision.of(DocState.absent(1, "k"), change(5, Operation.DELETE), null)).isEqualTo(Decision.DELETE);
    }

    static Change change(long logId, Operation op) {
        return new Change(logId, "products", "k", op, ChangeData.parse("{\"id\":\"k\"}"), Instant.EPOCH, null);
    }
}
