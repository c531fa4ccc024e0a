package io.cozecdc.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class CreateCallsTest {

    private static final List<Integer> TWENTY_FIVE = IntStream.range(0, 25).boxed().toList();

    @Test
    void tenPerCallByDefaultInOrder() {
        List<List<Integer>> calls = CreateCalls.split(TWENTY_FIVE, 10, Long.MAX_VALUE, d -> 1);
        assertThat(calls).extracting(List::size).containsExactly(10, 10, 5);
        assertThat(calls.stream().flatMap(List::stream).toList()).isEqualTo(TWENTY_FIVE);
    }

    @Test
    void oneDocumentPerCallWhenConfigured() {
        assertThat(CreateCalls.split(TWENTY_FIVE, 1, Long.MAX_VALUE, d -> 1)).hasSize(25).allSatisfy(c -> assertThat(c).hasSize(1));
    }

    @Test
    void theBodyCapClosesACallEarlyButAnOversizedDocumentStillGetsOne() {
        List<Integer> sizes = List.of(40, 40, 40, 500, 10);
        List<List<Integer>> calls = CreateCalls.split(sizes, 10, 100, d -> d);
        assertThat(calls).containsExactly(List.of(40, 40), List.of(40), List.of(500), List.of(10));
    }

    @Test
    void nothingToSendIsNoCallAndZeroPerCallIsRefused() {
        assertThat(CreateCalls.split(List.<Integer>of(), 10, 100, d -> d)).isEmpty();
        assertThatThrownBy(() -> CreateCalls.split(TWENTY_FIVE, 0, 100, d -> d)).isInstanceOf(IllegalArgumentException.class);
    }
}
