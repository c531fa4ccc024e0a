package io.cozecdc.capture;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Quoting for the SQL the service generates. Names reaching it have already been matched against
 * information_schema; quoting still makes any legal name (spaces, quotes, backticks, reserved words,
 * non-ASCII) safe to embed.
 */
public final class SqlText {

    private SqlText() {
    }

    /** A backtick-quoted identifier, with embedded backticks doubled. */
    public static String identifier(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    /**
     * A string literal. Backslashes and control characters mean different things under
     * NO_BACKSLASH_ESCAPES, so such text is written as a hex literal, which means the same everywhere.
     */
    public static String literal(String text) {
        boolean plain = text.chars().allMatch(ch -> ch >= 0x20 && ch != '\\' && ch != 0x7f);
        if (plain) {
            return "'" + text.replace("'", "''") + "'";
        }
        return "_utf8mb4 X'" + HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_8)) + "'";
    }
}
