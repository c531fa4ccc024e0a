package io.cozecdc.coze;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.cozecdc.sink.KnowledgeBase.Limits;
import io.cozecdc.sink.KnowledgeBase.NewDocument;

/** Coze's documented limits, and the size of a create request as Coze receives it. */
final class CozeLimits {

    /** Most documents one create call may carry (Coze's limit). */
    static final int MAX_DOCUMENTS_PER_CREATE = 10;
    /** Most ids one delete or progress call may carry. */
    static final int MAX_IDS_PER_CALL = 100;
    /** Largest page the service asks for when listing. */
    static final int LIST_PAGE_SIZE = 100;

    private CozeLimits() {
    }

    /** The limits a Coze sink works with under these settings. */
    static Limits of(CozeSettings settings) {
        return new Limits(Math.min(MAX_DOCUMENTS_PER_CREATE, settings.documentsPerCreate()), MAX_IDS_PER_CALL,
                LIST_PAGE_SIZE, settings.maxBodyBytes(), settings.chunking().maxTokens(), settings.maxConcurrency());
    }

    /** Body size of a create call: the text goes as base64 (4/3), plus the JSON around it. */
    static long requestBytes(List<NewDocument> documents) {
        long total = 512;
        for (NewDocument d : documents) {
            long text = d.content().getBytes(StandardCharsets.UTF_8).length;
            total += 4 * ((text + 2) / 3) + d.name().length() * 6L + 128;
        }
        return total;
    }
}
