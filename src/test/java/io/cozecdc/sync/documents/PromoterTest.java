package io.cozecdc.sync.documents;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class PromoterTest {

    private static LedgerDocument doc(String id, String key, long logId) {
        return new LedgerDocument(id, 1, 9, key, logId, "h" + logId, LedgerState.PROCESSING, null, Instant.EPOCH,
                Instant.EPOCH, Instant.EPOCH, 0);
    }

    @Test
    void theWantedReplacementGoesLiveAndTheOldDocumentIsReplaced() {
        RecordMapping state = new RecordMapping(1, "k", "old", "h1", 5, false, "new", "h5");
        Promoter.Plan plan = Promoter.plan(List.of(doc("new", "k", 5)), Map.of("k", state));
        assertThat(plan.states.get("k")).isEqualTo(new RecordMapping(1, "k", "new", "h5", 5, false, null, null));
        assertThat(plan.done).containsExactly("new");
        assertThat(plan.replaced).containsExactly("old");
        assertThat(plan.superseded).isEmpty();
        assertThat(plan.resolved).containsExactly(Map.entry("k", 5L));
    }

    @Test
    void aFirstDocumentHasNothingToReplace() {
        Promoter.Plan plan = Promoter.plan(List.of(doc("d1", "k", 3)), Map.of("k", new RecordMapping(1, "k", null, null, 3, false, "d1", "h3")));
        assertThat(plan.done).containsExactly("d1");
        assertThat(plan.obsolete()).isEmpty();
    }

    @Test
    void theLiveDocumentIsKeptAndAnUnwantedOneIsSuperseded() {
        RecordMapping state = new RecordMapping(1, "k", "live", "h1", 7, false, "newest", "h7");
        Promoter.Plan plan = Promoter.plan(List.of(doc("live", "k", 1), doc("stale", "k", 4)), Map.of("k", state));
        assertThat(plan.done).containsExactly("live");
        assertThat(plan.superseded).containsExactly("stale");
        assertThat(plan.states).isEmpty();
        assertThat(plan.resolved).isEmpty();
    }

    @Test
    void aDeletedRecordsDocumentAndOneOfAnUnknownRecordAreSuperseded() {
        RecordMapping tombstone = new RecordMapping(1, "gone", null, null, 9, true, null, null);
        Promoter.Plan plan = Promoter.plan(List.of(doc("a", "gone", 8), doc("b", "never", 2)), Map.of("gone", tombstone));
        assertThat(plan.superseded).containsExactly("a", "b");
        assertThat(plan.done).isEmpty();
    }

    @Test
    void severalRecordsInOneCheckAreDecidedEachOnItsOwnState() {
        Map<String, RecordMapping> locked = Map.of(
                "a", new RecordMapping(1, "a", "a0", "x", 2, false, "a1", "y"),
                "b", new RecordMapping(1, "b", "b0", "x", 3, false, "b1", "y"));
        Promoter.Plan plan = Promoter.plan(List.of(doc("a1", "a", 2), doc("bX", "b", 1), doc("b1", "b", 3)), locked);
        assertThat(plan.done).containsExactly("a1", "b1");
        assertThat(plan.replaced).containsExactly("a0", "b0");
        assertThat(plan.superseded).containsExactly("bX");
        assertThat(plan.states.keySet()).containsExactly("a", "b");
    }
}
