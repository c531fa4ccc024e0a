package io.cozecdc.failures;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import java.util.stream.Collectors;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.cozecdc.api.ApiException;
import io.cozecdc.api.ApiResponses;
import io.cozecdc.api.Problem;
import io.cozecdc.configs.SyncConfig;
import io.cozecdc.configs.SyncConfigRepository;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/** The retry queue and the dead letters: inspect, replay, discard. */
@Path("/api/v1/failures")
@Tag(name = "failures")
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", description = ApiResponses.UNAUTHORIZED,
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class FailureResource {

    static final int MAX_PAGE_SIZE = 500;

    private final FailureRepository failures;
    private final SyncConfigRepository configs;
    private final Clock clock;

    public FailureResource(FailureRepository failures, SyncConfigRepository configs, Clock clock) {
        this.failures = failures;
        this.configs = configs;
        this.clock = clock;
    }

    @GET
    @Operation(summary = "List failed changes", description = "Newest first, a page at a time, optionally of one "
            + "configuration and one status (RETRYING or DEAD).")
    @APIResponse(responseCode = "200", description = "A page of failures",
            content = @Content(schema = @Schema(implementation = FailurePage.class)))
    @APIResponse(responseCode = "400", description = ApiResponses.BAD_REQUEST,
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<FailurePage> list(@Parameter(description = "Only this configuration") @QueryParam("configId") Long configId,
            @Parameter(description = "RETRYING or DEAD") @QueryParam("status") String status,
            @Parameter(description = "1-based page") @QueryParam("page") @DefaultValue("1") int page,
            @Parameter(description = "Items per page, at most 500") @QueryParam("size") @DefaultValue("50") int size) {
        FailureStatus wanted = parseStatus(status);
        if (page < 1) {
            throw ApiException.invalid("page", "must be 1 or more");
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw ApiException.invalid("size", "must be between 1 and " + MAX_PAGE_SIZE);
        }
        return Uni.combine().all().unis(failures.page(configId, wanted, page, size), configs.findAll()).asTuple()
                .map(t -> {
                    Map<Long, String> names = t.getItem2().stream().collect(Collectors.toMap(SyncConfig::id, SyncConfig::name));
                    List<FailureView> items = t.getItem1().items().stream().map(f -> FailureView.of(f, names.get(f.configId()))).toList();
                    return new FailurePage(items, t.getItem1().total(), page, size);
                });
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get a failed change", description = "With the captured row, Coze's code, message and logid.")
    @APIResponse(responseCode = "200", description = "The failure", content = @Content(schema = @Schema(implementation = FailureView.class)))
    @APIResponse(responseCode = "404", description = ApiResponses.NOT_FOUND,
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<FailureView> get(@PathParam("id") long id) {
        return find(id).chain(f -> configs.findById(f.configId()).map(c -> FailureView.of(f, c == null ? null : c.name())));
    }

    @POST
    @Path("/{id}/retry")
    @Operation(summary = "Replay a failed change now", description = "Puts it back in the retry queue, due now, with a "
            + "fresh set of attempts. If a newer change of the row went through meanwhile, the replay is a no-op.")
    @APIResponse(responseCode = "200", description = "Queued", content = @Content(schema = @Schema(implementation = FailureView.class)))
    @APIResponse(responseCode = "404", description = ApiResponses.NOT_FOUND,
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<FailureView> retry(@PathParam("id") long id) {
        return find(id).chain(f -> failures.replay(id, clock.instant()))
                .invoke(() -> Log.infof("Failure %d replayed through the API", id))
                .chain(() -> get(id));
    }

    @POST
    @Path("/retry")
    @Operation(summary = "Replay every failed change of a configuration", description = "Dead letters and waiting "
            + "retries alike become due now.")
    @APIResponse(responseCode = "200", description = "How many were queued",
            content = @Content(examples = @ExampleObject(name = "queued", value = "{\"configId\":1,\"retried\":12}")))
    @APIResponse(responseCode = "400", description = ApiResponses.BAD_REQUEST,
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = ApiResponses.NOT_FOUND,
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Map<String, Object>> retryAll(@Parameter(description = "The configuration", required = true) @QueryParam("configId") Long configId) {
        if (configId == null) {
            throw ApiException.invalid("configId", "is required");
        }
        return configs.findById(configId)
                .onItem().ifNull().failWith(() -> ApiException.notFound("no sync configuration with id " + configId))
                .chain(c -> failures.replayConfig(configId, clock.instant())
                        .invoke(n -> Log.infof("%d failures of config '%s' replayed through the API", n, c.name())))
                .map(n -> Map.of("configId", configId, "retried", n));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Discard a failed change", description = "Gives up on it for good; the discard is written to "
            + "the service log with the row's key and the error.")
    @APIResponse(responseCode = "204", description = "Discarded")
    @APIResponse(responseCode = "404", description = ApiResponses.NOT_FOUND,
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Void> discard(@PathParam("id") long id) {
        return find(id).call(f -> failures.delete(id))
                .invoke(f -> Log.warnf("Failure %d DISCARDED through the API: config %d, table %s, record %s, change %d, %s, "
                        + "error %s: %s", f.id(), f.configId(), f.tableName(), f.recordKey(), f.logId(), f.status(),
                        f.errorCode(), f.errorMessage()))
                .replaceWithVoid();
    }

    private Uni<FailureRecord> find(long id) {
        return failures.findById(id).onItem().ifNull().failWith(() -> ApiException.notFound("no failure with id " + id));
    }

    private static FailureStatus parseStatus(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        try {
            return FailureStatus.valueOf(status.toUpperCase());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("status", "must be RETRYING or DEAD");
        }
    }

    /** A page of failures. */
    @Schema(name = "FailurePage")
    public record FailurePage(List<FailureView> items, long total, int page, int size) {
    }

}
