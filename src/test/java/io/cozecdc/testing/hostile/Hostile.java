package io.cozecdc.testing.hostile;

import java.util.List;
import java.util.Random;

/**
 * Generators of hostile but legal text: identifiers MariaDB accepts when quoted, and values with every
 * kind of character a column can hold (emoji, control characters, quotes, SQL and template syntax).
 */
public final class Hostile {

    /** Pieces of column names: reserved words, quotes, spaces, placeholders, non-ASCII (BMP only: MariaDB's limit). */
    static final List<String> NAME_PIECES = List.of(
            "select", "from", "key", "order", "group", "where", "table", "index", "desc", "default", "primary",
            "trigger", "json", "NEW", "OLD", "id", "cdc", "unit price", " leading", "two  spaces", "it's", "say \"hi\"",
            "back`tick", "``", "'", "\"", "slash\\path", "\\", "\\n", "?", "$1", ":name", "%s", "--x", "/*c*/", ";",
            "a;b", "名称", "Größe", "цена", "prix €", "café", "e\u0301", "ünïcödé", "عربي", "עברית", "☃", "{name}",
            "{cdc.key}", "a.b", "$.x", "[0]", "name: value", "tab\there", "new\nline", "nul-free\u0007bell", "%",
            "Ω≈ç√", "\u200bzero-width", "x".repeat(40));

    /** Pieces of table names: no '/', '\\' or '.', which MariaDB refuses in table names. */
    static final List<String> TABLE_PIECES = List.of(
            "t", "select", "order", "unit price", "it's", "say \"hi\"", "back`tick", "名称", "Größe", "цена", "☃",
            "{x}", "a;b", "?", "$1", "--x", "tab\there", "%", "café");

    /** Pieces of values. */
    static final List<String> VALUE_PIECES = List.of(
            "plain", " ", "  ", "'", "''", "\"", "`", "\\", "\\\\", "\\n", "\\u0000", "\n", "\r\n", "\t", "\u0000",
            "\u0001", "\u001f", "\u007f", "\u0085", "\u2028", "\u2029", "\ufeff", "\u200b", "😀", "👍🏽", "👨‍👩‍👧‍👦",
            "🇨🇳", "扳手", "库存", "ﾊﾝｶｸ", "e\u0301", "عربي", "עברית", "'; DROP TABLE products; --", "{name}",
            "{cdc.key}", "{#if true}x{/if}", "${x}", "%s", "%n", "?", "$1", ":name", "<script>alert(1)</script>",
            "&amp;", "field: value", "\n###cdc-row###\n", "null", "NULL", "true", "0", "-0", "1e309", "{}", "[]",
            "{\"a\":1}", "\ud834\udd1e");

    private Hostile() {
    }

    /** A column name: a hostile piece (sometimes two) and {@code unique} (distinct per column), at most 64 characters. */
    public static String columnName(Random r, int unique) {
        String base = pick(r, NAME_PIECES);
        if (r.nextInt(4) == 0) {
            base = base + pick(r, NAME_PIECES);
        }
        String suffix = "_" + unique;
        String name = r.nextBoolean() ? base + suffix : unique + base;
        name = truncate(name, 64);
        // MariaDB refuses trailing spaces in names
        return name.stripTrailing().isEmpty() ? "c" + unique : name.stripTrailing();
    }

    /** A table name of at most {@code max} characters, unique by {@code unique}. */
    public static String tableName(Random r, int unique, int max) {
        String name = "h" + unique + " " + pick(r, TABLE_PIECES) + (r.nextBoolean() ? pick(r, TABLE_PIECES) : "");
        return truncate(name, max).stripTrailing();
    }

    /** Text of at most {@code maxChars} code points and {@code maxBytes} UTF-8 bytes, mixing hostile pieces and letters. */
    public static String text(Random r, int maxChars, int maxBytes) {
        StringBuilder sb = new StringBuilder();
        int target = r.nextInt(4) == 0 ? maxChars : r.nextInt(Math.max(1, Math.min(maxChars, 60)) + 1);
        int chars = 0;
        int bytes = 0;
        for (int guard = 0; chars < target && guard < 20_000; guard++) {
            String piece = r.nextInt(3) == 0 ? Character.toString('a' + r.nextInt(26)) : pick(r, VALUE_PIECES);
            int c = piece.codePointCount(0, piece.length());
            int b = utf8(piece);
            if (chars + c > maxChars || bytes + b > maxBytes) {
                break;
            }
            sb.append(piece);
            chars += c;
            bytes += b;
        }
        return sb.toString();
    }

    /** Latin-1-representable hostile text. */
    public static String latin1(Random r, int maxChars) {
        String alphabet = "aZ09 '\"`\\\t\n\r;%?_-éüßÆøñ¿¡©®°±µ¶·¼ÿ";
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(maxChars + 1);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    public static <T> T pick(Random r, List<T> list) {
        return list.get(r.nextInt(list.size()));
    }

    static int utf8(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    static String truncate(String s, int maxCodePoints) {
        if (s.codePointCount(0, s.length()) <= maxCodePoints) {
            return s;
        }
        return s.substring(0, s.offsetByCodePoints(0, maxCodePoints));
    }

    /** Makes control characters and invisible ones visible, for assertion messages. */
    public static String visible(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder();
        s.codePoints().forEach(cp -> {
            if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) || cp == 0x2028 || cp == 0x2029 || cp == 0xfeff || cp == 0x200b) {
                sb.append(String.format("\\u%04x", cp));
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return sb.toString();
    }
}
