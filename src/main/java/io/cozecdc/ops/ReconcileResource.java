package io.cozecdc.ops;

import java.util.Map;

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

/** Reconciliation on demand. */
@Path("/api/v1/maintenance/reconcile")
@Tag(name = "maintenance")
@Produces(MediaType.APPLICATION_JSON)
public class ReconcileResource {

    private final Reconciler reconciler;

    public ReconcileResource(Reconciler reconciler) {
        this.reconciler = reconciler;
    }

    @POST
    @Operation(summary = "Reconcile now", description = "Lists every managed dataset and deletes documents the service "
            + "created that nothing points to any more (older than cdc.reconcile.grace).")
    @APIResponse(responseCode = "200", description = "How many orphaned documents were deleted",
            content = @Content(examples = @ExampleObject(name = "deleted", value = "{\"deleted\":2}")))
    @APIResponse(responseCode = "401", description = ApiResponses.UNAUTHORIZED,
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class), examples = @ExampleObject(name = "unauthorized", value = ApiResponses.UNAUTHORIZED_EXAMPLE)))
    public Uni<Map<String, Integer>> reconcile() {
        return reconciler.reconcile().map(n -> Map.of("deleted", n));
    }
}
