package io.cozecdc.capture;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/** A trigger as information_schema.TRIGGERS reports it. */
public record InstalledTrigger(String name, String event, String body) {

    /**
     * SHA-256 over names and bodies, in name order, exactly as the server reports them. Servers
     * rewrite trigger text on storage (MariaDB drops charset introducers, for one), so the service
     * compares what the server reports now with what it reported right after install.
     */
    public static String hashOf(List<InstalledTrigger> triggers) {
        StringBuilder canonical = new StringBuilder();
        triggers.stream().sorted(Comparator.comparing(InstalledTrigger::name))
                .forEach(t -> canonical.append(t.name()).append('\n').append(t.event()).append('\n')
                        .append(t.body()).append("\n\u0000\n"));
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
