package io.cozecdc.testing.coze;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cozecdc.testing.coze.FakeCoze.IdForm;

/** Strict reading of request bodies; every violation becomes {@link ApiException#badRequest}. */
final class JsonFields {

    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static final Pattern NUMERIC_ID = Pattern.compile("[1-9][0-9]{0,18}");

    /** Document ids of a delete/process body and whether they came as JSON numbers or strings. */
    record Ids(List<String> ids, IdForm form) {
    }

    private JsonFields() {
    }

    static ObjectNode parseObject(byte[] body) {
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiException.badRequest("request body is unreadable: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("request body must be a JSON object");
        }
        return (ObjectNode) node;
    }

    /**
     * {@code dataset_id}: required, a numeric JSON string (the documented type, sent by the JS and Python
     * SDKs) or a JSON integer number (sent by the Java and Go SDKs under {@code Agw-Js-Conv: str});
     * floats, exponents and non-numeric strings are refused.
     */
    static String datasetId(ObjectNode body) {
        JsonNode node = body.get("dataset_id");
        if (node == null || node.isNull()) {
            throw ApiException.badRequest("dataset_id is required");
        }
        if (node.isIntegralNumber()) {
            return positive64("dataset_id", node.bigIntegerValue());
        }
        if (node.isTextual() && NUMERIC_ID.matcher(node.textValue()).matches()) {
            return positive64("dataset_id", new BigInteger(node.textValue()));
        }
        throw ApiException.badRequest("dataset_id must be a numeric string or an integer number, got " + describe(node));
    }

    /** The dataset id in the path of {@code /v1/datasets/{id}/process}. */
    static String pathDatasetId(String segment) {
        if (!NUMERIC_ID.matcher(segment).matches()) {
            throw ApiException.badRequest("dataset_id in the path must be a decimal integer, got '" + segment + "'");
        }
        return positive64("dataset_id", new BigInteger(segment));
    }

    /** {@code document_ids}: a non-empty array of at most {@code max} integers or numeric strings. */
    static Ids documentIds(ObjectNode body, int max, String tooMany) {
        JsonNode node = body.get("document_ids");
        if (node == null || !node.isArray()) {
            throw ApiException.badRequest("document_ids must be an array");
        }
        if (node.isEmpty()) {
            throw ApiException.badRequest("document_ids must not be empty");
        }
        if (node.size() > max) {
            throw ApiException.badRequest(tooMany + " (got " + node.size() + ")");
        }
        List<String> ids = new ArrayList<>();
        boolean numbers = false;
        boolean strings = false;
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            String field = "document_ids[" + i + "]";
            if (item.isIntegralNumber()) {
                numbers = true;
                ids.add(positive64(field, item.bigIntegerValue()));
            } else if (item.isTextual() && NUMERIC_ID.matcher(item.textValue()).matches()) {
                strings = true;
                ids.add(positive64(field, new BigInteger(item.textValue())));
            } else {
                throw ApiException.badRequest(field + " must be an integer or a numeric string, got "
                        + describe(item));
            }
        }
        IdForm form = numbers && strings ? IdForm.MIXED : numbers ? IdForm.NUMBER : IdForm.STRING;
        return new Ids(List.copyOf(ids), form);
    }

    /** An optional JSON integer within {@code min..max}; {@code fallback} when absent. */
    static int optionalInt(ObjectNode body, String field, int fallback, int min, int max) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isIntegralNumber()) {
            throw ApiException.badRequest(field + " must be an integer number, got " + describe(node));
        }
        BigInteger value = node.bigIntegerValue();
        if (value.compareTo(BigInteger.valueOf(min)) < 0) {
            throw ApiException.badRequest(field + " must be at least " + min + ", got " + value);
        }
        if (value.compareTo(BigInteger.valueOf(max)) > 0) {
            throw ApiException.badRequest(field + " must be at most " + max + ", got " + value);
        }
        return value.intValueExact();
    }

    /** A required non-empty string field of {@code parent}. */
    static String requiredText(JsonNode parent, String field, String where) {
        JsonNode node = parent.get(field);
        if (node == null || !node.isTextual() || node.textValue().isEmpty()) {
            throw ApiException.badRequest(where + field + " must be a non-empty string");
        }
        return node.textValue();
    }

    /** A short description of a JSON value for error messages. */
    static String describe(JsonNode node) {
        String text = node.toString();
        String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
        return node.getNodeType().name().toLowerCase() + " " + shown;
    }

    private static String positive64(String field, BigInteger value) {
        if (value.signum() <= 0 || value.bitLength() > 63) {
            throw ApiException.badRequest(field + " must be a positive 64-bit integer, got " + value);
        }
        return value.toString();
    }
}
