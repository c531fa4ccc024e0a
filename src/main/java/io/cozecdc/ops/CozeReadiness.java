package io.cozecdc.ops;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.cozecdc.configs.ConfigRegistry;
import io.cozecdc.configs.ConfigStatus;
import io.cozecdc.sink.KnowledgeBase;
import io.cozecdc.sink.SinkHealth;

/**
 * Readiness: Coze answers and accepts the token, judged from the outcome of the service's own calls
 * (no extra request per probe). DOWN when the last calls all failed in transport (Coze looks down)
 * or Coze refused the token (4100/4101). A configuration in ERROR for its own reason (dataset not
 * found) is reported in the data but does not make the replica unready. Always UP in dry-run.
 */
@Readiness
@ApplicationScoped
public class CozeReadiness implements HealthCheck {

    private final KnowledgeBase coze;
    private final SinkHealth health;
    private final ConfigRegistry registry;

    public CozeReadiness(KnowledgeBase coze, SinkHealth health, ConfigRegistry registry) {
        this.coze = coze;
        this.health = health;
        this.registry = registry;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("coze");
        if (coze.isDryRun()) {
            return response.up().withData("mode", "dry-run: documents are written under target/, not sent").build();
        }
        response.withData("lastAnswer", health.lastAnswer() == null ? "none yet" : health.lastAnswer().toString());
        registry.all().stream().filter(c -> c.status() == ConfigStatus.ERROR)
                .forEach(c -> response.withData("config " + c.name(), "ERROR: " + c.statusReason()));
        String refusal = health.authRefusal();
        if (refusal != null) {
            return response.down().withData("reason", "Coze refused the API token: " + refusal
                    + " (set a valid COZE_API_TOKEN for this region)").build();
        }
        if (health.looksDown()) {
            return response.down().withData("reason", "the last " + health.consecutiveFailures()
                    + " calls to Coze failed: " + health.lastError()).build();
        }
        return response.up().build();
    }
}
