package io.cozecdc.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BoundedTextTest {

    @Test
    void aTextThatFitsIsKeptAsIs() {
        assertThat(BoundedText.cut(null, 10)).isNull();
        assertThat(BoundedText.cut("0123456789", 10)).isEqualTo("0123456789");
        // ten characters, twelve UTF-16 units: the column counts characters
        assertThat(BoundedText.cut("12345678😀😀", 10)).isEqualTo("12345678😀😀");
    }

    @Test
    void aLongerTextIsCutByCharactersWithAMark() {
        assertThat(BoundedText.cut("0123456789A", 10)).isEqualTo("012345678…");
    }

    @Test
    void aCutNeverSplitsASurrogatePair() {
        String text = "1234567😀😀😀😀"; // eleven characters
        String cut = BoundedText.cut(text, 10);
        assertThat(cut).isEqualTo("1234567😀😀…");
        assertThat(cut.codePointCount(0, cut.length())).isEqualTo(10);
        assertThat(cut.chars().filter(c -> Character.isSurrogate((char) c)).count() % 2).isZero();
        String emojis = "😀".repeat(3000);
        String long2 = BoundedText.cut(emojis, BoundedText.ERROR_MESSAGE);
        assertThat(long2.codePointCount(0, long2.length())).isEqualTo(BoundedText.ERROR_MESSAGE);
        assertThat(long2).endsWith("😀…");
    }
}
