package io.cozecdc.sync.render;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

import io.cozecdc.capture.ColumnInfo;

/**
 * How one column's value is written in a document, from the column's information_schema type rather
 * than from the form the server's JSON gave it, so MySQL 8 and MariaDB produce the same text for the
 * same row. The forms are MariaDB's (what existing documents were rendered from):
 * <ul>
 * <li>DECIMAL keeps its declared scale ({@code 10.00}, even where MySQL's JSON went through a double and
 * gave {@code 10.0});
 * <li>DATETIME, TIMESTAMP and TIME keep their declared fraction digits (MySQL's JSON always prints six);
 * <li>FLOAT shows six significant digits, ties to even ({@code 1.1}, where MySQL's JSON prints the
 * widened double {@code 1.100000023841858});
 * <li>everything else as {@link RowRenderer#text(JsonNode)} gives it (BIT as its number, binary as the
 * trigger's base64, DOUBLE and integers exactly as written).
 * </ul>
 *
 * @param name       the column's exact name
 * @param dataType   DATA_TYPE, lower case
 * @param columnType COLUMN_TYPE, lower case (carries the scale or fraction digits)
 */
public record ColumnFormat(String name, String dataType, String columnType) {

    private static final MathContext FLOAT_DIGITS = new MathContext(6, RoundingMode.HALF_EVEN);

    public ColumnFormat {
        dataType = dataType.toLowerCase(Locale.ROOT);
        columnType = columnType.toLowerCase(Locale.ROOT);
    }

    public static ColumnFormat of(ColumnInfo column) {
        return new ColumnFormat(column.name(), column.dataType(), column.columnType());
    }

    /** The value as document text; NULL as nothing. */
    public String text(JsonNode value) {
        if (value == null || value.isNull()) {
            return "";
        }
        try {
            return switch (dataType) {
                case "decimal", "numeric" -> decimal(value);
                case "float" -> floatText(value);
                case "datetime", "timestamp", "time" -> value.isTextual() ? fraction(value.asText(), declaredDigits())
                        : RowRenderer.text(value);
                default -> RowRenderer.text(value);
            };
        } catch (NumberFormatException | ArithmeticException e) {
            // not the form this type should have (a hand-written change_data): show it as written
            return RowRenderer.text(value);
        }
    }

    private String decimal(JsonNode value) {
        BigDecimal number = value.isNumber() ? value.decimalValue() : new BigDecimal(value.asText().trim());
        int scale = scale();
        return (scale < 0 ? number : number.setScale(scale, RoundingMode.HALF_EVEN)).toPlainString();
    }

    private static String floatText(JsonNode value) {
        double widened = value.isNumber() ? value.doubleValue() : Double.parseDouble(value.asText().trim());
        float single = (float) widened;
        if (Float.isNaN(single) || Float.isInfinite(single)) {
            return RowRenderer.text(value);
        }
        BigDecimal exact = new BigDecimal(single);
        return exact.signum() == 0 ? "0" : exact.round(FLOAT_DIGITS).stripTrailingZeros().toPlainString();
    }

    /** A temporal text with exactly {@code digits} fraction digits (none when 0). */
    static String fraction(String text, int digits) {
        int colon = text.lastIndexOf(':');
        int dot = text.indexOf('.', Math.max(colon, 0));
        if (colon < 0) {
            return text;
        }
        String whole = dot < 0 ? text : text.substring(0, dot);
        String fraction = dot < 0 ? "" : text.substring(dot + 1);
        if (!fraction.chars().allMatch(Character::isDigit)) {
            return text;
        }
        if (digits <= 0) {
            return whole;
        }
        StringBuilder sb = new StringBuilder(fraction.length() > digits ? fraction.substring(0, digits) : fraction);
        while (sb.length() < digits) {
            sb.append('0');
        }
        return whole + "." + sb;
    }

    /** DECIMAL(p,s): s; -1 when the type does not say. */
    private int scale() {
        String args = arguments();
        int comma = args == null ? -1 : args.indexOf(',');
        return comma < 0 ? (args == null ? -1 : 0) : Integer.parseInt(args.substring(comma + 1).trim());
    }

    /** DATETIME(n), TIMESTAMP(n), TIME(n): n; 0 when not declared. */
    private int declaredDigits() {
        String args = arguments();
        return args == null ? 0 : Integer.parseInt(args.trim());
    }

    private String arguments() {
        int open = columnType.indexOf('(');
        int close = columnType.indexOf(')', open + 1);
        return open < 0 || close < 0 ? null : columnType.substring(open + 1, close);
    }
}
