package io.cozecdc.configapi;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What a configuration holds in Coze and what is still on its way. */
@Schema(name = "ConfigStats")
public record ConfigStats(
        @Schema(description = "Rows with a processed document in Coze", example = "120") long documents,
        @Schema(description = "Documents Coze is still processing", example = "3") long processing,
        @Schema(description = "Documents no longer wanted, waiting to be deleted from Coze", example = "0") long pendingDeletes,
        @Schema(description = "Changes waiting to be retried", example = "2") long retrying,
        @Schema(description = "Of the retrying and dead changes: those whose upload Coze failed to process "
                + "(document status 9) or did not finish in time", example = "1") long processingFailed,
        @Schema(description = "Dead letters: changes that gave up", example = "1") long dead) {
}
