package io.cozecdc.common;

import java.net.InetAddress;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * This replica's name in claimed_by ({@code cdc.instance-id}, else the host name, which is the pod
 * name on Kubernetes), plus a per-start suffix so a restarted replica never mistakes its previous
 * life's claims for its own. Each claim gets its own token: name#sequence.
 */
@ApplicationScoped
public class InstanceId {

    private final String id;
    private final AtomicLong sequence = new AtomicLong();

    public InstanceId(RuntimeSettings settings) {
        String base = settings.instanceId().filter(s -> !s.isBlank()).orElseGet(InstanceId::hostName);
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String full = base + "-" + suffix;
        this.id = full.length() > 100 ? full.substring(full.length() - 100) : full;
    }

    public String id() {
        return id;
    }

    /** A fresh claim token for one batch. */
    public String nextClaim(String kind) {
        return id + "#" + kind + sequence.incrementAndGet();
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "coze-cdc";
        }
    }
}
