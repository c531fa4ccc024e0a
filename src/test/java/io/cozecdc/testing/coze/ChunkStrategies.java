package io.cozecdc.testing.coze;

import com.fasterxml.jackson.databind.JsonNode;

/** Validation of {@code chunk_strategy} and a rough slice count for processed documents. */
final class ChunkStrategies {

    static final int MIN_MAX_TOKENS = 100;
    static final int MAX_MAX_TOKENS = 2000;

    private ChunkStrategies() {
    }

    /**
     * Requires an object; {@code chunk_type} when present must be 0 (automatic) or 1 (custom), and custom
     * needs a non-empty {@code separator} and an integer {@code max_tokens} within 100..2000.
     */
    static JsonNode validate(JsonNode strategy) {
        if (strategy == null || !strategy.isObject()) {
            throw ApiException.badRequest("chunk_strategy is required and must be an object");
        }
        JsonNode chunkType = strategy.get("chunk_type");
        if (chunkType == null || chunkType.isNull()) {
            return strategy;
        }
        if (!chunkType.isIntegralNumber() || (chunkType.intValue() != 0 && chunkType.intValue() != 1)
                || !chunkType.canConvertToInt()) {
            throw ApiException.badRequest("chunk_strategy.chunk_type must be 0 or 1, got "
                    + JsonFields.describe(chunkType));
        }
        if (chunkType.intValue() == 1) {
            JsonFields.requiredText(strategy, "separator", "chunk_strategy.");
            JsonNode maxTokens = strategy.get("max_tokens");
            if (maxTokens == null || !maxTokens.isIntegralNumber() || !maxTokens.canConvertToInt()
                    || maxTokens.intValue() < MIN_MAX_TOKENS || maxTokens.intValue() > MAX_MAX_TOKENS) {
                throw ApiException.badRequest("chunk_strategy.max_tokens must be an integer within "
                        + MIN_MAX_TOKENS + ".." + MAX_MAX_TOKENS + " when chunk_type is 1");
            }
        }
        return strategy;
    }

    /** Custom strategy: number of non-blank pieces between separators; automatic: 1. */
    static int sliceCount(JsonNode strategy, String content) {
        JsonNode chunkType = strategy.get("chunk_type");
        JsonNode separator = strategy.get("separator");
        if (chunkType == null || chunkType.intValue() != 1 || separator == null || !separator.isTextual()) {
            return 1;
        }
        int count = 0;
        String sep = separator.textValue();
        int start = 0;
        while (start <= content.length()) {
            int end = content.indexOf(sep, start);
            String piece = end < 0 ? content.substring(start) : content.substring(start, end);
            if (!piece.isBlank()) {
                count++;
            }
            if (end < 0) {
                break;
            }
            start = end + sep.length();
        }
        return Math.max(count, 1);
    }
}
