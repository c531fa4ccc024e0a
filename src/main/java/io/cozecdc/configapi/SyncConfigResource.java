package io.cozecdc.configapi;

import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.smallrye.mutiny.Uni;

import io.cozecdc.api.ApiException;
import io.cozecdc.api.ApiResponses;
import io.cozecdc.api.Params;
import io.cozecdc.api.Problem;

/** Sync configurations: what syncs where. */
@Path("/api/v1/sync-configs")
@Tag(name = "sync-configs")
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", description = ApiResponses.UNAUTHORIZED,
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class), examples = @ExampleObject(name = "unauthorized", value = ApiResponses.UNAUTHORIZED_EXAMPLE)))
public class SyncConfigResource {

    static final String EXAMPLE = """
            {"name":"products-public","tableName":"products","datasetId":"7486431234567890123",
             "fields":["id","sku","name","unit_price","stock_quantity"],"enabled":true}""";

    private final SyncConfigService service;
    private final ConfigTransfer transfer;
    private final ConfigPreview preview;

    public SyncConfigResource(SyncConfigService service, ConfigTransfer transfer, ConfigPreview preview) {
        this.service = service;
        this.transfer = transfer;
        this.preview = preview;
    }

    @GET
    @Operation(summary = "List sync configurations", description = "Every configuration with its status, document and "
            + "failure counts, and its latest backfill.")
    @APIResponse(responseCode = "200", description = "The configurations",
            content = @Content(schema = @Schema(implementation = SyncConfigView.class, type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.ARRAY)))
    public Uni<List<SyncConfigView>> list() {
        return service.list();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a sync configuration", description = "Validates the table (it must exist and have a "
            + "single-column primary key), the fields (columns of it), the dataset id and the template; installs the "
            + "table's capture triggers if missing; every replica starts syncing within seconds. Existing rows are not "
            + "sent until you start a resync.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = SyncConfigRequest.class),
            examples = @ExampleObject(name = "products", value = EXAMPLE)))
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(schema = @Schema(implementation = SyncConfigView.class)))
    @APIResponse(responseCode = "400", description = ApiResponses.BAD_REQUEST, content = @Content(mediaType = Problem.MEDIA_TYPE,
            schema = @Schema(implementation = Problem.class), examples = @ExampleObject(name = "invalid", value = ApiResponses.VALIDATION_EXAMPLE)))
    @APIResponse(responseCode = "409", description = "A configuration with this name exists",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class), examples = @ExampleObject(name = "conflict", value = ApiResponses.CONFLICT_EXAMPLE)))
    public Uni<Response> create(SyncConfigRequest request) {
        return service.create(requireBody(request)).map(view -> Response.created(URI.create("/api/v1/sync-configs/" + view.id()))
                .entity(view).build());
    }

    @POST
    @Path("/preview")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Preview a sync configuration's documents", description = "Takes the body of create, validated "
            + "exactly as create validates it, and renders the documents of the table's first 3 rows in key order (or of "
            + "the row with recordKey) as the pipeline would. Saves nothing and calls nothing in Coze. A row the template "
            + "fails on is listed with its error: the pipeline would dead-letter it.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = SyncConfigRequest.class),
            examples = @ExampleObject(name = "products", value = EXAMPLE)))
    @APIResponse(responseCode = "200", description = "The documents", content = @Content(schema = @Schema(implementation = PreviewView.class)))
    @APIResponse(responseCode = "400", description = ApiResponses.BAD_REQUEST, content = @Content(mediaType = Problem.MEDIA_TYPE,
            schema = @Schema(implementation = Problem.class), examples = @ExampleObject(name = "invalid", value = ApiResponses.VALIDATION_EXAMPLE)))
    public Uni<PreviewView> preview(SyncConfigRequest request,
            @Parameter(description = "Render only the row with this key (as the change log writes it)") @QueryParam("recordKey") String recordKey) {
        return preview.preview(requireBody(request), recordKey);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get a sync configuration", description = "With its status, counters and backfill progress.")
    @APIResponse(responseCode = "200", description = "The configuration", content = @Content(schema = @Schema(implementation = SyncConfigView.class)))
    @APIResponse(responseCode = "400", description = "The id is not a whole number from 1 to 9223372036854775807",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "invalid", value = ApiResponses.ID_EXAMPLE)))
    @APIResponse(responseCode = "404", description = ApiResponses.NOT_FOUND,
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class), examples = @ExampleObject(name = "not-found", value = ApiResponses.CONFIG_NOT_FOUND_EXAMPLE)))
    public Uni<SyncConfigView> get(@Parameter(description = "Configuration id", schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "1"), example = "1") @PathParam("id") String id) {
        return service.get(id(id));
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace a sync configuration", description = "Changes the name, fields, template and enabled "
            + "flag. The table and the dataset are fixed. New fields or templates apply to each row's next change; start "
            + "a resync to apply them to every row now.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = SyncConfigRequest.class),
            examples = @ExampleObject(name = "products", value = EXAMPLE)))
    @APIResponse(responseCode = "200", description = "Updated", content = @Content(schema = @Schema(implementation = SyncConfigView.class)))
    @APIResponse(responseCode = "400", description = ApiResponses.BAD_REQUEST,
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class), examples = @ExampleObject(name = "invalid", value = ApiResponses.VALIDATION_EXAMPLE)))
    @APIResponse(responseCode = "404", description = ApiResponses.NOT_FOUND,
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class), examples = @ExampleObject(name = "not-found", value = ApiResponses.CONFIG_NOT_FOUND_EXAMPLE)))
    @APIResponse(responseCode = "409", description = "Another configuration has this name",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class), examples = @ExampleObject(name = "conflict", value = ApiResponses.CONFLICT_EXAMPLE)))
    public Uni<SyncConfigView> update(@Parameter(description = "Configuration id", schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "1"), example = "1") @PathParam("id") String id, SyncConfigRequest request) {
        return service.update(id(id), requireBody(request));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a sync configuration", description = "Removes the configuration and its state. Its "
            + "documents are deleted from Coze in the background, through the same rate-limited client, unless "
            + "keepDocuments=true.")
    @APIResponse(responseCode = "200", description = "Deleted; how many documents will be deleted from Coze",
            content = @Content(examples = @ExampleObject(name = "deleted", value = "{\"deleted\":1,\"documentsToDelete\":120}")))
    @APIResponse(responseCode = "400", description = "The id is not a whole number from 1 to 9223372036854775807",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "invalid", value = ApiResponses.ID_EXAMPLE)))
    @APIResponse(responseCode = "404", description = ApiResponses.NOT_FOUND,
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class), examples = @ExampleObject(name = "not-found", value = ApiResponses.CONFIG_NOT_FOUND_EXAMPLE)))
    public Uni<Map<String, Object>> delete(@Parameter(description = "Configuration id", schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "1"), example = "1") @PathParam("id") String id,
            @Parameter(description = "true leaves the documents in Coze; anything but true or false is refused",
                    schema = @Schema(type = SchemaType.BOOLEAN, defaultValue = "false")) @QueryParam("keepDocuments") String keepDocuments,
            @Context UriInfo uri) {
        Params params = new Params(uri);
        long configId = params.id("id", id);
        boolean keep = params.bool("keepDocuments", keepDocuments, false);
        params.check();
        return service.delete(configId, keep).map(n -> Map.of("deleted", configId, "documentsToDelete", n));
    }

    @POST
    @Path("/{id}/enable")
    @Operation(summary = "Enable (启用) a sync configuration", description = "Installs missing triggers, clears an "
            + "ERROR status and retries held changes at once.")
    @APIResponse(responseCode = "200", description = "Enabled", content = @Content(schema = @Schema(implementation = SyncConfigView.class)))
    @APIResponse(responseCode = "400", description = "The id is not a whole number from 1 to 9223372036854775807",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "invalid", value = ApiResponses.ID_EXAMPLE)))
    @APIResponse(responseCode = "404", description = ApiResponses.NOT_FOUND,
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class), examples = @ExampleObject(name = "not-found", value = ApiResponses.CONFIG_NOT_FOUND_EXAMPLE)))
    public Uni<SyncConfigView> enable(@Parameter(description = "Configuration id", schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "1"), example = "1") @PathParam("id") String id) {
        return service.enable(id(id));
    }

    @POST
    @Path("/{id}/disable")
    @Operation(summary = "Disable (禁用) a sync configuration", description = "Stops syncing at once on every replica. "
            + "Changes made while disabled are not queued; start a resync after enabling to catch up.")
    @APIResponse(responseCode = "200", description = "Disabled", content = @Content(schema = @Schema(implementation = SyncConfigView.class)))
    @APIResponse(responseCode = "400", description = "The id is not a whole number from 1 to 9223372036854775807",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "invalid", value = ApiResponses.ID_EXAMPLE)))
    @APIResponse(responseCode = "404", description = ApiResponses.NOT_FOUND,
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class), examples = @ExampleObject(name = "not-found", value = ApiResponses.CONFIG_NOT_FOUND_EXAMPLE)))
    public Uni<SyncConfigView> disable(@Parameter(description = "Configuration id", schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "1"), example = "1") @PathParam("id") String id) {
        return service.disable(id(id));
    }

    @POST
    @Path("/{id}/resync")
    @Operation(summary = "Resync (backfill) every row", description = "Streams every current row of the table through "
            + "the pipeline for this configuration, in key-ordered chunks, alongside live changes. Rows whose document "
            + "is already up to date cost no Coze call. Progress shows in GET; a restart resumes; DELETE cancels.")
    @APIResponse(responseCode = "202", description = "Started", content = @Content(schema = @Schema(implementation = SyncConfigView.class)))
    @APIResponse(responseCode = "400", description = "The id is not a whole number from 1 to 9223372036854775807",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "invalid", value = ApiResponses.ID_EXAMPLE)))
    @APIResponse(responseCode = "404", description = ApiResponses.NOT_FOUND,
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class), examples = @ExampleObject(name = "not-found", value = ApiResponses.CONFIG_NOT_FOUND_EXAMPLE)))
    @APIResponse(responseCode = "409", description = "The configuration is disabled",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class), examples = @ExampleObject(name = "disabled", value = ApiResponses.DISABLED_EXAMPLE)))
    public Uni<Response> resync(@Parameter(description = "Configuration id", schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "1"), example = "1") @PathParam("id") String id) {
        return service.resync(id(id)).map(view -> Response.accepted(view).build());
    }

    @DELETE
    @Path("/{id}/resync")
    @Operation(summary = "Cancel a running resync", description = "Rows already copied still sync.")
    @APIResponse(responseCode = "200", description = "Cancelled", content = @Content(schema = @Schema(implementation = SyncConfigView.class)))
    @APIResponse(responseCode = "400", description = "The id is not a whole number from 1 to 9223372036854775807",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "invalid", value = ApiResponses.ID_EXAMPLE)))
    @APIResponse(responseCode = "404", description = "No such configuration, or no running resync",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class), examples = @ExampleObject(name = "not-found", value = ApiResponses.CONFIG_NOT_FOUND_EXAMPLE)))
    public Uni<SyncConfigView> cancelResync(@Parameter(description = "Configuration id", schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "1"), example = "1") @PathParam("id") String id) {
        return service.cancelResync(id(id));
    }

    @GET
    @Path("/export")
    @Produces({MediaType.APPLICATION_JSON, "application/yaml"})
    @Operation(summary = "Export every configuration", description = "As JSON or YAML (format=yaml, or Accept: "
            + "application/yaml), in the form import takes, to keep configurations in git next to the deployment.")
    @APIResponse(responseCode = "200", description = "The configurations",
            content = @Content(schema = @Schema(implementation = ConfigTransfer.ConfigBundle.class)))
    public Uni<Response> export(@Parameter(description = "json (default) or yaml",
                    schema = @Schema(type = SchemaType.STRING, enumeration = {"json", "yaml"})) @QueryParam("format") String format,
            @HeaderParam(HttpHeaders.ACCEPT) String accept, @Context UriInfo uri) {
        Params params = new Params(uri);
        String chosen = params.oneOf("format", format, "json", "yaml");
        params.check();
        boolean yaml = "yaml".equals(chosen) || (chosen == null && accept != null && accept.contains("yaml"));
        return transfer.export().map(bundle -> yaml
                ? Response.ok(transfer.toYaml(bundle), "application/yaml").build()
                : Response.ok(bundle, MediaType.APPLICATION_JSON).build());
    }

    @POST
    @Path("/import")
    @Consumes({MediaType.APPLICATION_JSON, "application/yaml", "application/x-yaml", "text/yaml"})
    @Operation(summary = "Import configurations", description = "Upserts by name: new names are created, existing ones "
            + "updated (their table and dataset cannot change). Every entry is validated first; if one is invalid, "
            + "nothing changes. dryRun=true reports what would happen.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = ConfigTransfer.ConfigBundle.class),
            examples = @ExampleObject(name = "bundle", value = "{\"syncConfigs\":[" + EXAMPLE + "]}")))
    @APIResponse(responseCode = "200", description = "What was (or would be) created, updated and left unchanged",
            content = @Content(schema = @Schema(implementation = ConfigTransfer.ImportResult.class)))
    @APIResponse(responseCode = "400", description = ApiResponses.BAD_REQUEST,
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class), examples = @ExampleObject(name = "invalid", value = ApiResponses.VALIDATION_EXAMPLE)))
    public Uni<ConfigTransfer.ImportResult> importConfigs(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @Parameter(description = "true only reports what would change; anything but true or false is refused",
                    schema = @Schema(type = SchemaType.BOOLEAN, defaultValue = "false")) @QueryParam("dryRun") String dryRun,
            String body, @Context UriInfo uri) {
        Params params = new Params(uri);
        boolean dry = params.bool("dryRun", dryRun, false);
        params.check();
        boolean yaml = contentType != null && contentType.toLowerCase().contains("yaml");
        return Uni.createFrom().item(() -> transfer.parse(body, yaml)).chain(bundle -> transfer.importBundle(bundle, dry));
    }

    private static long id(String raw) {
        Params params = new Params();
        long id = params.id("id", raw);
        params.check();
        return id;
    }

    private static SyncConfigRequest requireBody(SyncConfigRequest request) {
        if (request == null) {
            throw ApiException.badRequest("the body is empty; send a sync configuration as JSON");
        }
        return request;
    }
}
