package io.cozecdc.testing.hostile;

import java.math.BigDecimal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * What a value must look like in a rendered document ({@code field: value} line). Worked out by the test
 * from the value it wrote, independently of the service's renderer.
 */
public sealed interface Expect {

    ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    /** A regular expression for the rendered value inside a document. */
    String pattern();

    /** Whether the text matched by {@link #pattern()} is right. */
    boolean accepts(String rendered);

    /** Exactly this text (NULL renders as nothing). */
    record Exact(String text) implements Expect {
        @Override
        public String pattern() {
            return java.util.regex.Pattern.quote(text);
        }

        @Override
        public boolean accepts(String rendered) {
            return text.equals(rendered);
        }

        @Override
        public String toString() {
            return "'" + Hostile.visible(text) + "'";
        }
    }

    /** A floating-point number: a DOUBLE as any text that reads back as the same double, a FLOAT to 6 significant digits. */
    record Real(double value, boolean single) implements Expect {
        @Override
        public String pattern() {
            return "[^\\n]*";
        }

        @Override
        public boolean accepts(String rendered) {
            try {
                BigDecimal d = new BigDecimal(rendered);
                // MariaDB prints a FLOAT with 6 significant digits (FLT_DIG), in JSON as in its client, an exact tie
                // rounded to even (1024.125 shows as 1024.12)
                return single ? d.compareTo(new BigDecimal((float) value).round(new java.math.MathContext(6, java.math.RoundingMode.HALF_EVEN))) == 0
                        : d.doubleValue() == value;
            } catch (NumberFormatException e) {
                return false;
            }
        }

        @Override
        public String toString() {
            return (single ? "float " : "double ") + value;
        }
    }

    /** A JSON document equal to this one (same tree, exact numbers), in any spacing. */
    record Json(String text) implements Expect {
        @Override
        public String pattern() {
            return "[^\\n]*";
        }

        @Override
        public boolean accepts(String rendered) {
            try {
                JsonNode want = JSON.readTree(text);
                JsonNode got = JSON.readTree(rendered);
                return want.equals(got);
            } catch (Exception e) {
                return false;
            }
        }

        @Override
        public String toString() {
            return "json " + Hostile.visible(text);
        }
    }
}
