package io.cozecdc.sync.render;

import java.util.List;

/**
 * A row rendered as the text of its Coze document.
 *
 * @param text            the document's UTF-8 text
 * @param hash            SHA-256 of the text: equal hashes need no Coze call
 * @param missingFields   configured fields the row does not have (dropped or renamed columns)
 * @param estimatedTokens rough token count, to spot rows Coze will split into several chunks
 */
public record RenderedDocument(String text, String hash, List<String> missingFields, int estimatedTokens) {
}
