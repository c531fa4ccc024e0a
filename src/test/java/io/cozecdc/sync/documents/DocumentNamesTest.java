package io.cozecdc.sync.documents;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class DocumentNamesTest {

    @Test
    void namesRoundTripConfigChangeAndCreationTime() {
        Instant at = Instant.ofEpochSecond(1_764_000_000L);
        String name = DocumentNames.name(12, 3456, at, "products", "a:b:c");
        assertThat(name).isEqualTo("cdc:12:3456:1764000000:products:a:b:c");
        assertThat(DocumentNames.parse(name)).hasValueSatisfying(p -> {
            assertThat(p.configId()).isEqualTo(12);
            assertThat(p.logId()).isEqualTo(3456);
            assertThat(p.createdAt()).isEqualTo(at);
        });
    }

    @Test
    void longKeysAreCutAndOthersNamesAreNotOurs() {
        String name = DocumentNames.name(1, 2, Instant.EPOCH, "t", "k".repeat(500));
        assertThat(name).hasSize(DocumentNames.MAX_LENGTH);
        assertThat(DocumentNames.parse(name)).isPresent();
        assertThat(DocumentNames.parse("manual upload.txt")).isEmpty();
        assertThat(DocumentNames.parse("cdc:x:1:2:t:k")).isEmpty();
        assertThat(DocumentNames.parse(null)).isEmpty();
    }
}
