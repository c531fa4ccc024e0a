package io.cozecdc.configapi;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The documents a configuration would render, from real rows, without saving or sending anything.
 *
 * @param tableName the table, as the database spells it
 * @param keyColumn its primary-key column
 * @param documents one per row rendered (none when the table is empty or has no row with the key asked for)
 */
@Schema(name = "ConfigPreview", description = "The documents a configuration would render from current rows")
public record PreviewView(String tableName, String keyColumn, List<Document> documents) {

    /**
     * One row's document.
     *
     * @param recordKey       the row's key as text
     * @param text            the document's text, or null when the template failed for this row
     * @param characters      length of the text
     * @param estimatedTokens rough token count (one per CJK character, one per four other characters)
     * @param missingFields   configured fields the row does not have
     * @param error           why the row could not be rendered (the pipeline would dead-letter it), or null
     */
    @Schema(name = "PreviewDocument")
    public record Document(String recordKey, String text, int characters, int estimatedTokens, List<String> missingFields,
            String error) {
    }
}
