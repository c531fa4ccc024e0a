package io.cozecdc.api;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * Decides whether a request path belongs to the management API the way the router will see it, not
 * the way it was written: percent-escapes decoded (also twice-encoded ones), dot segments resolved,
 * empty segments and matrix parameters dropped. So {@code /q/%2e%2e/api/v1/…}, {@code /%61pi/v1/…} or
 * {@code //api/v1/…} cannot slip past the token check.
 */
final class ApiPaths {

    private ApiPaths() {
    }

    /** True when the raw request path, however written, may reach /api. */
    static boolean isApi(String rawPath) {
        String path = rawPath == null ? "" : rawPath;
        for (int i = 0; i < 3 && path.indexOf('%') >= 0; i++) {
            path = decode(path);
        }
        String normalized = normalize(path.replace('\\', '/')).toLowerCase(Locale.ROOT);
        return normalized.equals("/api") || normalized.startsWith("/api/");
    }

    private static String normalize(String path) {
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : path.split("/")) {
            int matrix = segment.indexOf(';');
            String s = (matrix >= 0 ? segment.substring(0, matrix) : segment).trim();
            if (s.isEmpty() || s.equals(".")) {
                continue;
            }
            if (s.equals("..")) {
                segments.pollLast();
            } else {
                segments.add(s);
            }
        }
        return "/" + String.join("/", segments);
    }

    /** Percent-decoding that keeps a malformed escape as written instead of failing. */
    private static String decode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '%' && i + 2 < bytes.length && hex(bytes[i + 1]) >= 0 && hex(bytes[i + 2]) >= 0) {
                out.write(hex(bytes[i + 1]) * 16 + hex(bytes[i + 2]));
                i += 2;
            } else {
                out.write(bytes[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hex(byte b) {
        return Character.digit((char) b, 16);
    }
}
