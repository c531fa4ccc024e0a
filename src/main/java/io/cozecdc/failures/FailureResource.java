package io.cozecdc.failures;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

import io.cozecdc.api.ApiException;
import io.cozecdc.api.ApiResponses;
import io.cozecdc.api.Params;
import io.cozecdc.api.Problem;
import io.cozecdc.configs.SyncConfig;
import io.cozecdc.configs.SyncConfigRepository;

/** The retry queue and the dead letters: inspect, replay, discard. */
@Path("/api/v1/failures")
@Tag(name = "failures")
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", description = ApiResponses.UNAUTHORIZED,
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class), examples = @ExampleObject(name = "unauthorized", value = ApiResponses.UNAUTHORIZED_EXAMPLE)))
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
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class), examples = @ExampleObject(name = "invalid", value = ApiResponses.PARAMETER_EXAMPLE)))
    public Uni<FailurePage> list(@Parameter(description = "Only this configuration",
                    schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "1")) @QueryParam("configId") String configIdParam,
            @Parameter(description = "RETRYING or DEAD", schema = @Schema(type = SchemaType.STRING, enumeration = {"RETRYING", "DEAD"}))
            @QueryParam("status") String status,
            @Parameter(description = "1-based page", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", defaultValue = "1"))
            @QueryParam("page") String pageParam,
            @Parameter(description = "Items per page, at most 500",
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "500", defaultValue = "50"))
            @QueryParam("size") String sizeParam, @Context UriInfo uri) {
        Params params = new Params(uri);
        Long configId = params.optionalId("configId", configIdParam);
        String statusName = params.oneOf("status", status, "RETRYING", "DEAD");
        int page = params.integer("page", pageParam, 1, 1, Integer.MAX_VALUE);
        int size = params.integer("size", sizeParam, 50, 1, MAX_PAGE_SIZE);
        params.check();
        FailureStatus wanted = statusName == null ? null : FailureStatus.valueOf(statusName);
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
    @APIResponse(responseCode = "400", description = "The id is not a whole number from 1 to 9223372036854775807",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "invalid", value = ApiResponses.ID_EXAMPLE)))
    @APIResponse(responseCode = "404", description = ApiResponses.NOT_FOUND,
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class), examples = @ExampleObject(name = "not-found", value = ApiResponses.FAILURE_NOT_FOUND_EXAMPLE)))
    public Uni<FailureView> get(@Parameter(description = "Failure id", schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "1"), example = "1") @PathParam("id") String id) {
        return view(id(id));
    }

    private Uni<FailureView> view(long id) {
        return find(id).chain(f -> configs.findById(f.configId()).map(c -> FailureView.of(f, c == null ? null : c.name())));
    }

    @POST
    @Path("/{id}/retry")
    @Operation(summary = "Replay a failed change now", description = "Puts it back in the retry queue, due now, with a "
            + "fresh set of attempts. If a newer change of the row went through meanwhile, the replay is a no-op.")
    @APIResponse(responseCode = "200", description = "Queued", content = @Content(schema = @Schema(implementation = FailureView.class)))
    @APIResponse(responseCode = "400", description = "The id is not a whole number from 1 to 9223372036854775807",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "invalid", value = ApiResponses.ID_EXAMPLE)))
    @APIResponse(responseCode = "404", description = ApiResponses.NOT_FOUND,
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class), examples = @ExampleObject(name = "not-found", value = ApiResponses.FAILURE_NOT_FOUND_EXAMPLE)))
    public Uni<FailureView> retry(@Parameter(description = "Failure id", schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "1"), example = "1") @PathParam("id") String id) {
        return retry(id(id));
    }

    private Uni<FailureView> retry(long id) {
        return find(id).chain(f -> failures.replay(id, clock.instant()))
                .invoke(() -> Log.infof("Failure %d replayed through the API", id))
                .chain(() -> view(id));
    }

    @POST
    @Path("/retry")
    @Operation(summary = "Replay every failed change of a configuration", description = "Dead letters and waiting "
            + "retries alike become due now.")
    @APIResponse(responseCode = "200", description = "How many were queued",
            content = @Content(examples = @ExampleObject(name = "queued", value = "{\"configId\":1,\"retried\":12}")))
    @APIResponse(responseCode = "400", description = ApiResponses.BAD_REQUEST,
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class), examples = @ExampleObject(name = "invalid", value = ApiResponses.PARAMETER_EXAMPLE)))
    @APIResponse(responseCode = "404", description = ApiResponses.NOT_FOUND,
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class), examples = @ExampleObject(name = "not-found", value = ApiResponses.CONFIG_NOT_FOUND_EXAMPLE)))
    public Uni<Map<String, Object>> retryAll(@Parameter(description = "The configuration", required = true,
            schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "1")) @QueryParam("configId") String configIdParam,
            @Context UriInfo uri) {
        Params params = new Params(uri);
        long configId = params.id("configId", configIdParam);
        params.check();
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
    @APIResponse(responseCode = "400", description = "The id is not a whole number from 1 to 9223372036854775807",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "invalid", value = ApiResponses.ID_EXAMPLE)))
    @APIResponse(responseCode = "404", description = ApiResponses.NOT_FOUND,
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class), examples = @ExampleObject(name = "not-found", value = ApiResponses.FAILURE_NOT_FOUND_EXAMPLE)))
    public Uni<Void> discard(@Parameter(description = "Failure id", schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "1"), example = "1") @PathParam("id") String id) {
        return discard(id(id));
    }

    private Uni<Void> discard(long id) {
        return find(id).call(f -> failures.delete(id))
                .invoke(f -> Log.warnf("Failure %d DISCARDED through the API: config %d, table %s, record %s, change %d, %s, "
                        + "error %s: %s", f.id(), f.configId(), f.tableName(), f.recordKey(), f.logId(), f.status(),
                        f.errorCode(), f.errorMessage()))
                .replaceWithVoid();
    }

    private Uni<FailureRecord> find(long id) {
        return failures.findById(id).onItem().ifNull().failWith(() -> ApiException.notFound("no failure with id " + id));
    }

    private static long id(String raw) {
        Params params = new Params();
        long id = params.id("id", raw);
        params.check();
        return id;
    }

    /** A page of failures. */
    @Schema(name = "FailurePage")
    public record FailurePage(List<FailureView> items, @Schema(example = "1") long total, @Schema(example = "1") int page,
            @Schema(example = "50") int size) {
    }

}
