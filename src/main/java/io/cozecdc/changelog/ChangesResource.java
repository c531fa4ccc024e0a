package io.cozecdc.changelog;

import java.time.Instant;
import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.smallrye.mutiny.Uni;

import io.cozecdc.api.ApiResponses;
import io.cozecdc.api.Problem;

/** The change log: what is waiting, and housekeeping. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", description = ApiResponses.UNAUTHORIZED,
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class), examples = @ExampleObject(name = "unauthorized", value = ApiResponses.UNAUTHORIZED_EXAMPLE)))
public class ChangesResource {

    private final PendingStatsService pending;
    private final CleanupService cleanup;

    public ChangesResource(PendingStatsService pending, CleanupService cleanup) {
        this.pending = pending;
        this.cleanup = cleanup;
    }

    @GET
    @Path("/changes/pending")
    @Tag(name = "changes")
    @Operation(summary = "Pending changes", description = "Changes captured but not yet processed, in total and per "
            + "table, with the age of the oldest (the original's get_pending_changes_count()).")
    @APIResponse(responseCode = "200", description = "The figures", content = @Content(schema = @Schema(implementation = PendingView.class)))
    public Uni<PendingView> pending() {
        return pending.current().map(PendingView::of);
    }

    @POST
    @Path("/maintenance/cleanup")
    @Tag(name = "maintenance")
    @Operation(summary = "Run the cleanup now", description = "Deletes processed change-log rows older than the "
            + "retention (cdc.cleanup.retention, default 7 days), in chunks.")
    @APIResponse(responseCode = "200", description = "How many rows were removed",
            content = @Content(examples = @ExampleObject(name = "removed", value = "{\"removed\":1523}")))
    public Uni<java.util.Map<String, Long>> runCleanup() {
        return cleanup.cleanup().map(n -> java.util.Map.of("removed", n));
    }

    /** Pending figures as the API shows them. */
    @Schema(name = "PendingChanges")
    public record PendingView(@Schema(example = "3") long total,
            @Schema(description = "Capture time of the oldest pending change", example = "2026-12-02T08:15:29.870Z") Instant oldestAt,
            @Schema(description = "Seconds the oldest pending change has waited", example = "0.42") double oldestAgeSeconds,
            List<TableView> tables) {

        static PendingView of(PendingStats s) {
            return new PendingView(s.total(), s.oldestAt(), s.oldestAge().toMillis() / 1000.0,
                    s.tables().stream().map(t -> new TableView(t.table(), t.count(), t.oldestAt(), t.oldestAge().toMillis() / 1000.0))
                            .toList());
        }
    }

    /** Pending figures of one table. */
    @Schema(name = "PendingTable")
    public record TableView(@Schema(example = "products") String table, @Schema(example = "2") long pending,
            @Schema(example = "2026-12-02T08:15:29.870Z") Instant oldestAt, @Schema(example = "0.42") double oldestAgeSeconds) {
    }
}
