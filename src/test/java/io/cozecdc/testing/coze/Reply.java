package io.cozecdc.testing.coze;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An answer ready to be written.
 *
 * @param httpStatus  HTTP status
 * @param code        body code, -1 for a non-JSON body
 * @param contentType response Content-Type
 * @param body        response bytes
 * @param hold        how long to wait before writing it (timeout injection)
 */
record Reply(int httpStatus, int code, String contentType, byte[] body, Duration hold) {

    private static final String JSON = "application/json; charset=utf-8";

    /** {@code {code:0, msg:"", ...payload, detail:{logid}}} with HTTP 200. */
    static Reply success(ObjectNode payload, String logid) {
        ObjectNode node = JsonFields.MAPPER.createObjectNode();
        node.put("code", 0);
        node.put("msg", "");
        node.setAll(payload);
        node.putObject("detail").put("logid", logid);
        return new Reply(200, 0, JSON, bytes(node), Duration.ZERO);
    }

    /** {@code {code, msg, detail:{logid}}} with the given HTTP status. */
    static Reply error(int httpStatus, int code, String msg, String logid) {
        ObjectNode node = JsonFields.MAPPER.createObjectNode();
        node.put("code", code);
        node.put("msg", msg);
        node.putObject("detail").put("logid", logid);
        return new Reply(httpStatus, code, JSON, bytes(node), Duration.ZERO);
    }

    /** A gateway-style HTML error page, as a proxy in front of the API would send. */
    static Reply html(int httpStatus, String reason) {
        String page = "<html>\r\n<head><title>" + httpStatus + " " + reason + "</title></head>\r\n<body>\r\n"
                + "<center><h1>" + httpStatus + " " + reason + "</h1></center>\r\n<hr><center>nginx</center>\r\n"
                + "</body>\r\n</html>\r\n";
        return new Reply(httpStatus, -1, "text/html", page.getBytes(StandardCharsets.UTF_8), Duration.ZERO);
    }

    Reply withHold(Duration value) {
        return new Reply(httpStatus, code, contentType, body, value);
    }

    private static byte[] bytes(ObjectNode node) {
        try {
            return JsonFields.MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
