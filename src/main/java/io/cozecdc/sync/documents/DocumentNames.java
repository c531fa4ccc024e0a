package io.cozecdc.sync.documents;

import java.time.Instant;
import java.util.Optional;

/**
 * Names of the documents the service creates: {@code cdc:<config>:<log id>:<epoch s>:<table>:<key>}.
 * The prefix marks documents as ours (reconciliation never touches others); config and log id say
 * which change it carries; the creation second lets reconciliation leave young documents alone.
 */
public final class DocumentNames {

    static final String PREFIX = "cdc:";
    /** Coze documents no name limit; long keys are cut so names stay readable in the console. */
    static final int MAX_LENGTH = 200;

    private DocumentNames() {
    }

    public static String name(long configId, long logId, Instant createdAt, String table, String key) {
        String name = PREFIX + configId + ":" + logId + ":" + createdAt.getEpochSecond() + ":" + table + ":" + key;
        return name.length() <= MAX_LENGTH ? name : name.substring(0, MAX_LENGTH);
    }

    /** The parts of one of our names; empty for documents we did not create. */
    public static Optional<Parsed> parse(String name) {
        if (name == null || !name.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String[] parts = name.substring(PREFIX.length()).split(":", 4);
        if (parts.length < 4) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Parsed(Long.parseLong(parts[0]), Long.parseLong(parts[1]),
                    Instant.ofEpochSecond(Long.parseLong(parts[2]))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** What a name of ours says. */
    public record Parsed(long configId, long logId, Instant createdAt) {
    }
}
