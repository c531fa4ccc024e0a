package io.cozecdc.changelog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads change_data JSON keeping what the database wrote: decimals as BigDecimal (a DECIMAL(20,6)
 * price must not pass through a double), big integers exactly, and keys in their written order.
 */
public final class ChangeData {

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            // keep "10.00" as written: by default Jackson's tree strips trailing zeros
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    private ChangeData() {
    }

    /** Parses change_data; a value that is not a JSON object yields an empty object. */
    public static ObjectNode parse(String text) {
        try {
            JsonNode node = MAPPER.readTree(text);
            return node instanceof ObjectNode object ? object : MAPPER.createObjectNode();
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("change_data is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Serialises change data for storage (failure payloads). */
    public static String write(ObjectNode data) {
        return data == null ? null : data.toString();
    }
}
