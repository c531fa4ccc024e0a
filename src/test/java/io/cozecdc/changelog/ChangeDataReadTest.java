package io.cozecdc.changelog;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Issue 19, item 3: change_data is read as text, never through the reactive client's JSON decoding,
 * which on MySQL (a binary JSON column) parses every fraction as a double.
 */
class ChangeDataReadTest {

    @Test
    void theClaimAndTheLookupSelectChangeDataAsText() {
        assertThat(ChangeLogRepository.CLAIM_SELECT).contains("CAST(change_data AS CHAR) AS change_data");
        assertThat(ChangeLogRepository.FIND).contains("CAST(change_data AS CHAR) AS change_data");
    }

    @Test
    void textKeepsDecimalsExactlyWhereAJsonObjectWouldNot() {
        String text = "{\"price\": 10.00, \"tiny\": 0.000001, \"long\": 12345678901234.123456}";
        var fromText = ChangeLogRepository.json(text);
        assertThat(fromText.get("price").decimalValue().toPlainString()).isEqualTo("10.00");
        assertThat(fromText.get("tiny").decimalValue().toPlainString()).isEqualTo("0.000001");
        assertThat(fromText.get("long").decimalValue().toPlainString()).isEqualTo("12345678901234.123456");
        // what the uncast MySQL column gave: the loss the cast avoids
        var fromJsonObject = ChangeLogRepository.json(new io.vertx.core.json.JsonObject(text));
        assertThat(fromJsonObject.get("long").decimalValue().toPlainString()).isNotEqualTo("12345678901234.123456");
    }
}
