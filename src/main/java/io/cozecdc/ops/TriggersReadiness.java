package io.cozecdc.ops;

import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;

import io.cozecdc.capture.CaptureStatus;
import io.cozecdc.capture.TriggerService;
import io.cozecdc.capture.TriggerState;
import io.cozecdc.configs.ConfigRegistry;
import io.cozecdc.configs.SyncConfig;

/**
 * Readiness: every table an enabled sync configuration reads (its own and those its relations name) has its three capture triggers, as the
 * service generated them for the table's current columns. A missing or drifted trigger means changes
 * are being lost or captured without new columns, so the check is DOWN and names the table and why.
 */
@Readiness
@ApplicationScoped
public class TriggersReadiness implements AsyncHealthCheck {

    private final ConfigRegistry registry;
    private final TriggerService triggers;

    public TriggersReadiness(ConfigRegistry registry, TriggerService triggers) {
        this.registry = registry;
        this.triggers = triggers;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        TreeSet<String> read = registry.all().stream().map(SyncConfig::tableName).collect(Collectors.toCollection(TreeSet::new));
        // the tables their relations name: a change there re-renders documents (issue 16)
        read.addAll(registry.relatedTables());
        List<String> tables = List.copyOf(read);
        if (tables.isEmpty()) {
            return Uni.createFrom().item(HealthCheckResponse.named("cdc-triggers").up()
                    .withData("tables", "no enabled sync configuration").build());
        }
        return Uni.join().all(tables.stream().map(this::state).toList()).andCollectFailures()
                .map(this::respond)
                .onFailure().recoverWithItem(e -> HealthCheckResponse.named("cdc-triggers").down()
                        .withData("reason", "could not read the triggers: " + e.getMessage()).build());
    }

    private Uni<TableTriggers> state(String table) {
        return triggers.status(table).map(s -> new TableTriggers(table, s));
    }

    private HealthCheckResponse respond(List<TableTriggers> states) {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("cdc-triggers");
        states.forEach(t -> response.withData(t.table(), t.describe()));
        return response.status(states.stream().allMatch(TableTriggers::installed)).build();
    }

    /** One table's trigger state; {@code status} is null when the table is not captured at all. */
    record TableTriggers(String table, CaptureStatus status) {

        boolean installed() {
            return status != null && status.state() == TriggerState.INSTALLED;
        }

        String describe() {
            if (status == null) {
                return "not captured: no triggers installed";
            }
            return installed() ? "installed" : status.state().name().toLowerCase() + ": " + status.detail();
        }
    }
}
