package io.cozecdc.capture;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.smallrye.mutiny.Uni;

import io.cozecdc.api.ApiException;
import io.cozecdc.api.ApiResponses;
import io.cozecdc.api.Problem;
import io.cozecdc.configs.SyncConfig;
import io.cozecdc.configs.SyncConfigRepository;

/** Captured tables and their triggers. */
@Path("/api/v1/tables")
@Tag(name = "tables")
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", description = ApiResponses.UNAUTHORIZED,
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class), examples = @ExampleObject(name = "unauthorized", value = ApiResponses.UNAUTHORIZED_EXAMPLE)))
public class TableResource {

    private final TriggerService triggers;
    private final SyncConfigRepository configs;
    private final TableDescriber describer;

    public TableResource(TriggerService triggers, SyncConfigRepository configs, TableDescriber describer) {
        this.triggers = triggers;
        this.configs = configs;
        this.describer = describer;
    }

    @GET
    @Operation(summary = "List captured tables", description = "Each with its key column and the state of its "
            + "triggers: INSTALLED, MISSING (a trigger or the table is gone) or DRIFTED (the table's columns changed, "
            + "or the triggers were edited, since install), and the configurations using it.")
    @APIResponse(responseCode = "200", description = "The captured tables",
            content = @Content(schema = @Schema(implementation = TableView.class, type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.ARRAY)))
    public Uni<List<TableView>> list() {
        return Uni.combine().all().unis(triggers.statuses(), configs.findAll()).asTuple().map(t -> {
            Map<String, List<String>> users = t.getItem2().stream()
                    .collect(Collectors.groupingBy(SyncConfig::tableName, Collectors.mapping(SyncConfig::name, Collectors.toList())));
            return t.getItem1().stream().map(s -> TableView.of(s, users.getOrDefault(s.table(), List.of()))).toList();
        });
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Capture a table", description = "Installs (or re-installs, picking up column changes) the "
            + "table's three capture triggers. The table needs a single-column primary key.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = TableRequest.class),
            examples = @ExampleObject(name = "products", value = "{\"table\":\"products\"}")))
    @APIResponse(responseCode = "201", description = "Installed", content = @Content(schema = @Schema(implementation = TableView.class)))
    @APIResponse(responseCode = "400", description = "No such table, or it cannot be captured (the problem says why)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class), examples = @ExampleObject(name = "invalid", value = ApiResponses.TABLE_INVALID_EXAMPLE)))
    @APIResponse(responseCode = "409", description = "The database's settings or the user's grants refuse triggers "
            + "(database-refuses-capture: the detail gives the fix), or the table stayed locked by another transaction "
            + "(table-busy: try again later)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "refused", value = ApiResponses.CAPTURE_REFUSED_EXAMPLE)))
    public Uni<Response> install(TableRequest request) {
        if (request == null || request.table() == null || request.table().isBlank()) {
            throw ApiException.invalid("table", "is required");
        }
        return triggers.install(request.table())
                .onFailure(UnknownTableException.class).transform(e -> ApiException.invalid("table", e.getMessage()))
                .onFailure(UnsupportedTableException.class).transform(e -> ApiException.invalid("table", e.getMessage()))
                .chain(installed -> triggers.status(installed.table()))
                .chain(status -> configs.findAll().map(all -> TableView.of(status, all.stream()
                        .filter(c -> c.tableName().equals(status.table())).map(SyncConfig::name).toList())))
                .map(view -> Response.created(location(view.table())).entity(view).build());
    }

    @DELETE
    @Path("/{table}")
    @Operation(summary = "Stop capturing a table", description = "Drops its triggers. Refused while an enabled "
            + "configuration uses the table.")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "404", description = "The table is not captured",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class), examples = @ExampleObject(name = "not-found", value = ApiResponses.TABLE_NOT_FOUND_EXAMPLE)))
    @APIResponse(responseCode = "409", description = "An enabled configuration uses the table",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class), examples = @ExampleObject(name = "conflict", value = ApiResponses.TABLE_IN_USE_EXAMPLE)))
    public Uni<Void> remove(@PathParam("table") String table) {
        return configs.findEnabled().chain(enabled -> {
            List<String> users = enabled.stream().filter(c -> c.tableName().equals(table)).map(SyncConfig::name).toList();
            if (!users.isEmpty()) {
                return Uni.createFrom().failure(ApiException.conflict("table " + table + " is used by enabled sync "
                        + "configurations " + users + "; disable or delete them first"));
            }
            return triggers.remove(table).chain(removed -> removed ? Uni.createFrom().voidItem()
                    : Uni.createFrom().failure(ApiException.notFound("table " + table + " is not captured")));
        });
    }

    @GET
    @Path("/{table}/columns")
    @Operation(summary = "List a table's columns", description = "Any table of the database that can be captured, "
            + "captured yet or not: its key column and every column with its type, to choose a configuration's fields.")
    @APIResponse(responseCode = "200", description = "The columns", content = @Content(schema = @Schema(implementation = TableColumnsView.class),
            examples = @ExampleObject(name = "suppliers", value = "{\"table\":\"suppliers\",\"keyColumn\":\"id\",\"columns\":"
                    + "[{\"name\":\"id\",\"type\":\"char(36)\"},{\"name\":\"name\",\"type\":\"varchar(200)\"}]}")))
    @APIResponse(responseCode = "404", description = "No such table",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "not-found", value = ApiResponses.TABLE_NOT_FOUND_EXAMPLE)))
    @APIResponse(responseCode = "400", description = "The table cannot be captured (the problem says why)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "invalid", value = ApiResponses.TABLE_INVALID_EXAMPLE)))
    public Uni<TableColumnsView> columns(@PathParam("table") String table) {
        return describer.describe(table).map(TableColumnsView::of)
                .onFailure(UnknownTableException.class).transform(e -> ApiException.notFound(e.getMessage()))
                .onFailure(UnsupportedTableException.class).transform(e -> ApiException.badRequest(e.getMessage()));
    }

    @GET
    @Path("/{table}/trigger-sql")
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(summary = "Print the trigger SQL", description = "The statements that (re)create the table's capture "
            + "triggers, for a DBA who prefers to run them by hand in the mysql client.")
    @APIResponse(responseCode = "200", description = "The SQL script", content = @Content(mediaType = MediaType.TEXT_PLAIN))
    @APIResponse(responseCode = "404", description = "No such table",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class), examples = @ExampleObject(name = "not-found", value = ApiResponses.TABLE_NOT_FOUND_EXAMPLE)))
    @APIResponse(responseCode = "400", description = "The table cannot be captured (the problem says why)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class), examples = @ExampleObject(name = "invalid", value = ApiResponses.TABLE_INVALID_EXAMPLE)))
    public Uni<String> triggerSql(@PathParam("table") String table) {
        return triggers.triggerSql(table)
                .onFailure(UnknownTableException.class).transform(e -> ApiException.notFound(e.getMessage()))
                .onFailure(UnsupportedTableException.class).transform(e -> ApiException.badRequest(e.getMessage()));
    }

    /** The table's URL; any legal table name (spaces, quotes, non-ASCII) is percent-encoded as one path segment. */
    static URI location(String table) {
        return UriBuilder.fromPath("/api/v1/tables/{table}").build(table);
    }

    /** Body of POST /api/v1/tables. */
    @Schema(name = "TableRequest")
    public record TableRequest(@Schema(description = "The table to capture", example = "products", required = true) String table) {
    }

    /** A captured table as the API shows it. */
    @Schema(name = "Table")
    public record TableView(@Schema(example = "products") String table,
            @Schema(example = "id") String keyColumn,
            @Schema(example = "2026-12-02T08:15:30.120Z") Instant installedAt,
            @Schema(description = "INSTALLED, MISSING or DRIFTED", enumeration = {"INSTALLED", "MISSING", "DRIFTED"},
                    example = "INSTALLED") String triggers,
            @Schema(description = "Why the triggers are not INSTALLED", example = "column 'colour' was added since install")
            String detail,
            @Schema(description = "Sync configurations using the table", example = "[\"products-public\"]") List<String> configs) {

        static TableView of(CaptureStatus s, List<String> configs) {
            return new TableView(s.table(), s.keyColumn(), s.installedAt(), s.state().name(),
                    s.detail() == null || s.detail().isEmpty() ? null : s.detail(), configs);
        }
    }
}
