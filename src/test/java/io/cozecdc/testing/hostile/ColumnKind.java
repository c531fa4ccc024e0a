package io.cozecdc.testing.hostile;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Every MySQL/MariaDB column type family, each with a generator of legal values and the rendering a
 * document must show for them (as the capture triggers write them: binary as base64 the way TO_BASE64
 * wraps it, BIT as an unsigned number, spatial as WKT, JSON embedded, temporal as the server prints it).
 */
public final class ColumnKind {

    /** One value: what to bind, the SQL placeholder that takes it, and what the document must show. */
    public record Cell(Object bind, Expect expect) {
        public static final Cell NULL = new Cell(null, new Expect.Exact(""));
    }

    /** A concrete column type: its SQL, the placeholder for its values, and their generator. */
    public record Spec(String sql, String placeholder, Function<Random, Cell> values) {
        public Cell value(Random r, boolean allowNull) {
            return allowNull && r.nextInt(6) == 0 ? Cell.NULL : values.apply(r);
        }
    }

    private static final List<Function<Random, Spec>> ALL = List.of(
            r -> integer("TINYINT", -128, 127),
            r -> integer("SMALLINT UNSIGNED", 0, 65535),
            r -> integer("MEDIUMINT", -8388608, 8388607),
            r -> integer("INT", Integer.MIN_VALUE, Integer.MAX_VALUE),
            r -> new Spec("BIGINT", "?", x -> {
                long v = x.nextLong();
                return new Cell(v, new Expect.Exact(Long.toString(v)));
            }),
            r -> new Spec("BIGINT UNSIGNED", "?", x -> {
                BigInteger v = new BigInteger(64, x);
                return new Cell(v.toString(), new Expect.Exact(v.toString()));
            }),
            r -> integer("BOOLEAN", 0, 1),
            ColumnKind::decimal,
            r -> new Spec("FLOAT", "?", x -> {
                float v = (x.nextInt(20001) - 10000) / 8f;
                return new Cell(v, new Expect.Real(v, true));
            }),
            r -> new Spec("DOUBLE", "?", x -> {
                double v = switch (x.nextInt(4)) {
                    case 0 -> x.nextDouble() * Math.pow(10, x.nextInt(600) - 300);
                    case 1 -> -x.nextDouble();
                    case 2 -> (double) x.nextLong();
                    default -> x.nextInt(1000) / 10.0;
                };
                return new Cell(v, new Expect.Real(v, false));
            }),
            ColumnKind::bit,
            r -> new Spec("DATE", "?", x -> {
                String v = String.format("%04d-%02d-%02d", 1000 + x.nextInt(9000), 1 + x.nextInt(12), 1 + x.nextInt(28));
                return new Cell(v, new Expect.Exact(v));
            }),
            r -> new Spec("DATETIME(6)", "?", x -> {
                String v = dateTime(x, 1000, 9000) + String.format(".%06d", x.nextInt(1_000_000));
                return new Cell(v, new Expect.Exact(v));
            }),
            r -> new Spec("DATETIME", "?", x -> {
                String v = dateTime(x, 1000, 9000);
                return new Cell(v, new Expect.Exact(v));
            }),
            r -> new Spec("TIMESTAMP(3) NULL", "?", x -> {
                String v = dateTime(x, 1971, 66) + String.format(".%03d", x.nextInt(1000));
                return new Cell(v, new Expect.Exact(v));
            }),
            r -> new Spec("TIME(6)", "?", x -> {
                int h = x.nextInt(839);
                String sign = x.nextInt(4) == 0 && h > 0 ? "-" : "";
                String v = String.format("%s%02d:%02d:%02d.%06d", sign, h, x.nextInt(60), x.nextInt(60), h == 838 ? 0 : x.nextInt(1_000_000));
                return new Cell(v, new Expect.Exact(v));
            }),
            r -> new Spec("YEAR", "?", x -> {
                int v = 1901 + x.nextInt(255);
                return new Cell(v, new Expect.Exact(Integer.toString(v)));
            }),
            r -> {
                int n = 1 + r.nextInt(60);
                return new Spec("CHAR(" + n + ")", "?", x -> {
                    String v = Hostile.text(x, n, n * 4);
                    // CHAR columns give their values back without the spaces at the very end (\z: Java's $ also
                    // matches before a last line terminator, and a space before a closing U+2029 comes back as written)
                    return new Cell(v, new Expect.Exact(v.replaceAll(" +\\z", "")));
                });
            },
            r -> {
                int n = 1 + r.nextInt(300);
                return text("VARCHAR(" + n + ")", n, n * 4);
            },
            r -> text("TINYTEXT", 255, 255),
            r -> text("TEXT", 3000, 65535),
            r -> text("MEDIUMTEXT", 5000, 1 << 20),
            r -> text("LONGTEXT", 5000, 1 << 20),
            r -> {
                int n = 1 + r.nextInt(100);
                return new Spec("VARCHAR(" + n + ") CHARACTER SET latin1", "?", x -> {
                    String v = Hostile.latin1(x, n);
                    return new Cell(v, new Expect.Exact(v));
                });
            },
            r -> {
                int n = 1 + r.nextInt(64);
                return new Spec("BINARY(" + n + ")", "?", x -> {
                    byte[] v = bytes(x, x.nextInt(n + 1));
                    // BINARY pads with zero bytes to its length
                    return new Cell(v, new Expect.Exact(toBase64(java.util.Arrays.copyOf(v, n))));
                });
            },
            r -> binary("VARBINARY(" + (1 + r.nextInt(300)) + ")", 300),
            r -> binary("TINYBLOB", 255),
            r -> binary("BLOB", 2000),
            r -> binary("MEDIUMBLOB", 2000),
            r -> binary("LONGBLOB", 2000),
            ColumnKind::enumeration,
            ColumnKind::set,
            r -> new Spec("JSON", "?", x -> {
                com.fasterxml.jackson.databind.JsonNode tree = json(x, 0);
                String v = tree.toString();
                // a JSON scalar reads as its plain text (a string without quotes, JSON null as nothing)
                Expect expect = tree.isContainerNode() ? new Expect.Json(v)
                        : new Expect.Exact(tree.isNull() ? "" : tree.isNumber() ? tree.decimalValue().toPlainString() : tree.asText());
                return new Cell(v, expect);
            }),
            r -> new Spec(r.nextBoolean() ? "POINT" : "GEOMETRY", "ST_GeomFromText(?)", x -> {
                String a = coordinate(x);
                String b = coordinate(x);
                return new Cell("POINT(" + a + " " + b + ")", new Expect.Exact("POINT(" + a + " " + b + ")"));
            }),
            r -> new Spec("UUID", "?", x -> {
                byte[] seed = new byte[16];
                x.nextBytes(seed);
                // a well-formed (RFC 4122 variant) UUID: MariaDB's UUID type refuses others
                String v = UUID.nameUUIDFromBytes(seed).toString();
                return new Cell(v, new Expect.Exact(v));
            }));

    private ColumnKind() {
    }

    /** A random column type. */
    public static Spec any(Random r) {
        return Hostile.pick(r, ALL).apply(r);
    }

    /** How many type families {@link #any} draws from. */
    public static int families() {
        return ALL.size();
    }

    /** The family at {@code index}, so a test can cover every one. */
    public static Spec family(int index, Random r) {
        return ALL.get(index).apply(r);
    }

    private static Spec integer(String sql, long min, long max) {
        return new Spec(sql, "?", x -> {
            long v = min + (long) (x.nextDouble() * ((double) max - min + 1));
            v = Math.max(min, Math.min(max, x.nextInt(5) == 0 ? (x.nextBoolean() ? min : max) : v));
            return new Cell(v, new Expect.Exact(Long.toString(v)));
        });
    }

    private static Spec decimal(Random r) {
        int precision = 1 + r.nextInt(65);
        int scale = r.nextInt(Math.min(precision, 30) + 1);
        return new Spec("DECIMAL(" + precision + "," + scale + ")", "?", x -> {
            StringBuilder digits = new StringBuilder();
            int intDigits = x.nextInt(precision - scale + 1);
            for (int i = 0; i < intDigits; i++) {
                digits.append((char) ('0' + x.nextInt(10)));
            }
            BigDecimal whole = intDigits == 0 ? BigDecimal.ZERO : new BigDecimal(digits.toString());
            BigDecimal fraction = BigDecimal.ZERO;
            if (scale > 0) {
                StringBuilder f = new StringBuilder();
                for (int i = 0; i < scale; i++) {
                    f.append((char) ('0' + x.nextInt(10)));
                }
                fraction = new BigDecimal("0." + f);
            }
            BigDecimal v = whole.add(fraction).setScale(scale);
            if (x.nextBoolean() && v.signum() != 0) {
                v = v.negate();
            }
            return new Cell(v.toPlainString(), new Expect.Exact(v.toPlainString()));
        });
    }

    private static Spec bit(Random r) {
        int n = 1 + r.nextInt(63);
        return new Spec("BIT(" + n + ")", "?", x -> {
            long v = x.nextLong() & ((1L << n) - 1);
            return new Cell(v, new Expect.Exact(Long.toString(v)));
        });
    }

    private static Spec text(String sql, int maxChars, int maxBytes) {
        return new Spec(sql, "?", x -> {
            String v = Hostile.text(x, maxChars, maxBytes);
            return new Cell(v, new Expect.Exact(v));
        });
    }

    private static Spec binary(String sql, int max) {
        int limit = sql.startsWith("VARBINARY(") ? Integer.parseInt(sql.substring(10, sql.length() - 1)) : max;
        return new Spec(sql, "?", x -> {
            byte[] v = bytes(x, x.nextInt(limit + 1));
            return new Cell(v, new Expect.Exact(toBase64(v)));
        });
    }

    private static Spec enumeration(Random r) {
        List<String> members = members(r, true);
        String sql = "ENUM(" + String.join(",", members.stream().map(ColumnKind::quote).toList()) + ")";
        return new Spec(sql, "?", x -> {
            String v = Hostile.pick(x, members);
            return new Cell(v, new Expect.Exact(v));
        });
    }

    private static Spec set(Random r) {
        List<String> members = members(r, false);
        String sql = "SET(" + String.join(",", members.stream().map(ColumnKind::quote).toList()) + ")";
        return new Spec(sql, "?", x -> {
            List<String> chosen = new ArrayList<>();
            for (String m : members) {
                if (x.nextBoolean()) {
                    chosen.add(m);
                }
            }
            String v = String.join(",", chosen);
            return new Cell(v, new Expect.Exact(v));
        });
    }

    /** Distinct (case- and accent-insensitively) members without trailing spaces; no commas in SET members. */
    private static List<String> members(Random r, boolean allowComma) {
        List<String> members = new ArrayList<>();
        int n = 1 + r.nextInt(5);
        for (int i = 0; i < n; i++) {
            String m = i + Hostile.text(r, 12, 48).replaceAll("[ ]+\\z", "");
            if (!allowComma) {
                m = m.replace(",", ";");
            }
            members.add(m);
        }
        return members;
    }

    private static String quote(String s) {
        // bound as text inside a type definition: escape as a hex literal would not be allowed here
        return "'" + s.replace("\\", "\\\\").replace("'", "''").replace("\u0000", "\\0") + "'";
    }

    private static String dateTime(Random x, int fromYear, int years) {
        return String.format("%04d-%02d-%02d %02d:%02d:%02d", fromYear + x.nextInt(years), 1 + x.nextInt(12), 1 + x.nextInt(28),
                x.nextInt(24), x.nextInt(60), x.nextInt(60));
    }

    private static String coordinate(Random x) {
        int v = x.nextInt(2001) - 1000;
        return x.nextBoolean() ? Integer.toString(v) : v / 2 + ".5";
    }

    private static byte[] bytes(Random x, int n) {
        byte[] b = new byte[n];
        x.nextBytes(b);
        return b;
    }

    /** Base64 as MySQL's TO_BASE64 writes it: a line break after every 76 characters. */
    public static String toBase64(byte[] bytes) {
        String plain = Base64.getEncoder().encodeToString(bytes);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < plain.length(); i += 76) {
            if (i > 0) {
                sb.append('\n');
            }
            sb.append(plain, i, Math.min(plain.length(), i + 76));
        }
        return sb.toString();
    }

    private static com.fasterxml.jackson.databind.JsonNode json(Random x, int depth) {
        JsonNodeFactory f = JsonNodeFactory.withExactBigDecimals(true);
        int kind = depth > 2 ? 2 + x.nextInt(4) : x.nextInt(6);
        switch (kind) {
            case 0 -> {
                ObjectNode o = f.objectNode();
                int n = x.nextInt(4);
                for (int i = 0; i < n; i++) {
                    o.set(i + Hostile.text(x, 8, 32), json(x, depth + 1));
                }
                return o;
            }
            case 1 -> {
                ArrayNode a = f.arrayNode();
                int n = x.nextInt(4);
                for (int i = 0; i < n; i++) {
                    a.add(json(x, depth + 1));
                }
                return a;
            }
            case 2 -> {
                return f.textNode(Hostile.text(x, 20, 80));
            }
            case 3 -> {
                return f.numberNode(x.nextBoolean() ? BigDecimal.valueOf(x.nextLong()) : new BigDecimal(x.nextInt(100000) + ".25"));
            }
            case 4 -> {
                return f.booleanNode(x.nextBoolean());
            }
            default -> {
                return f.nullNode();
            }
        }
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
