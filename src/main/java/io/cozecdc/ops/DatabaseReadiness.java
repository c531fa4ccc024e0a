package io.cozecdc.ops;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;

import io.cozecdc.capture.DatabasePreflight;

/**
 * Readiness: the database's settings and the service user's grants allow what the service does
 * ({@link DatabasePreflight}): DOWN with each problem's reason and fix (binary logging without
 * log_bin_trust_function_creators or SUPER, STATEMENT binlog format, missing privileges, no cleanup at
 * all), so a managed MySQL that refuses triggers is reported here instead of in a restart loop.
 */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements AsyncHealthCheck {

    private final DatabasePreflight preflight;

    public DatabaseReadiness(DatabasePreflight preflight) {
        this.preflight = preflight;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return preflight.check().map(problems -> {
            HealthCheckResponseBuilder response = HealthCheckResponse.named("cdc-database");
            problems.forEach(p -> response.withData(p.code(), p.describe()));
            return response.status(problems.isEmpty()).build();
        }).onFailure().recoverWithItem(e -> HealthCheckResponse.named("cdc-database").down()
                .withData("reason", "could not read the database's settings: " + e.getMessage()).build());
    }
}
