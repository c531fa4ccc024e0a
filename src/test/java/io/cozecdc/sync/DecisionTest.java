package io.cozecdc.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.cozecdc.changelog.Change;
import io.cozecdc.changelog.ChangeData;
import io.cozecdc.changelog.Operation;
import io.cozecdc.sync.documents.RecordMapping;


/** The version guard and content-hash rules, case by case. */
class DecisionTest {

    static final String H1 = "h1";
    static final String H2 = "h2";

    @Test
    void anOlderChangeThanTheAcceptedOneIsStale() {
        RecordMapping state = new RecordMapping(1, "k", "d1", H1, 10, false, null, null);
        assertThat(Decision.of(state, change(9, Operation.UPDATE), H2)).isEqualTo(Decision.STALE);
        assertThat(Decision.of(state, change(9, Operation.DELETE), null)).isEqualTo(Decision.STALE);
    }

    @Test
    void newContentIsCreatedAndTheSameContentIsNot() {
        RecordMapping state = new RecordMapping(1, "k", "d1", H1, 10, false, null, null);
        assertThat(Decision.of(state, change(11, Operation.UPDATE), H2)).isEqualTo(Decision.CREATE);
        assertThat(Decision.of(state, change(11, Operation.UPDATE), H1)).isEqualTo(Decision.UNCHANGED);
        assertThat(Decision.of(RecordMapping.absent(1, "k"), change(1, Operation.INSERT), H1)).isEqualTo(Decision.CREATE);
    }

    @Test
    void contentBeingProcessedCountsAsHeld() {
        RecordMapping processing = new RecordMapping(1, "k", "d1", H1, 12, false, "d2", H2);
        assertThat(Decision.of(processing, change(13, Operation.UPDATE), H2)).isEqualTo(Decision.UNCHANGED);
        // going back to the live content: no new document (the pending one gets cancelled at commit)
        assertThat(Decision.of(processing, change(13, Operation.UPDATE), H1)).isEqualTo(Decision.UNCHANGED);
        assertThat(Decision.of(processing, change(13, Operation.UPDATE), "h3")).isEqualTo(Decision.CREATE);
    }

    @Test
    void reApplyingTheAcceptedChangeIsANoOpButAFailedUploadOfItIsRedone() {
        RecordMapping accepted = new RecordMapping(1, "k", "d1", H1, 12, false, "d2", H2);
        assertThat(Decision.of(accepted, change(12, Operation.UPDATE), H2)).isEqualTo(Decision.UNCHANGED);
        RecordMapping uploadFailed = new RecordMapping(1, "k", "d1", H1, 12, false, null, null);
        assertThat(Decision.of(uploadFailed, change(12, Operation.UPDATE), H2)).isEqualTo(Decision.CREATE);
    }

    @Test
    void tombstonesStopOlderChangesAndAllowNewerOnes() {
        RecordMapping tombstone = RecordMapping.absent(1, "k").tombstone(20);
        assertThat(Decision.of(tombstone, change(19, Operation.INSERT), H1)).isEqualTo(Decision.STALE);
        assertThat(Decision.of(tombstone, change(20, Operation.DELETE), null)).isEqualTo(Decision.STALE);
        assertThat(Decision.of(tombstone, change(21, Operation.INSERT), H1)).isEqualTo(Decision.CREATE);
        assertThat(Decision.of(RecordMapping.absent(1, "k"), change(5, Operation.DELETE), null)).isEqualTo(Decision.DELETE);
    }

    static Change change(long logId, Operation op) {
        return new Change(logId, "products", "k", op, ChangeData.parse("{\"id\":\"k\"}"), Instant.EPOCH, null);
    }
}
