package io.cozecdc.coze;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.smallrye.mutiny.Uni;

/**
 * The raw Coze knowledge endpoints. Bodies go out and come back as JSON text: {@link CozeClient}
 * builds them (ids as JSON numbers), parses code/msg/logid and classifies errors.
 */
@RegisterRestClient(configKey = "coze")
@Path("/")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
interface CozeRestClient {

    /** Gateway switch that turns 64-bit ids into JSON strings in answers. */
    String JS_CONV_HEADER = "Agw-Js-Conv";

    @POST
    @Path("open_api/knowledge/document/create")
    Uni<Response> createDocuments(@HeaderParam("Authorization") String authorization,
            @HeaderParam(JS_CONV_HEADER) String jsConv, String body);

    @POST
    @Path("open_api/knowledge/document/delete")
    Uni<Response> deleteDocuments(@HeaderParam("Authorization") String authorization,
            @HeaderParam(JS_CONV_HEADER) String jsConv, String body);

    @POST
    @Path("open_api/knowledge/document/list")
    Uni<Response> listDocuments(@HeaderParam("Authorization") String authorization,
            @HeaderParam(JS_CONV_HEADER) String jsConv, String body);

    @POST
    @Path("v1/datasets/{datasetId}/process")
    Uni<Response> progress(@HeaderParam("Authorization") String authorization,
            @PathParam("datasetId") String datasetId, String body);
}
