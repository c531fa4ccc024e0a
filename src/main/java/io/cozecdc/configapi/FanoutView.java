package io.cozecdc.configapi;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.cozecdc.fanout.FanoutRepository;

/** Re-rendering a configuration's documents because related rows changed (issue 16), still under way. */
@Schema(name = "Fanout")
public record FanoutView(
        @Schema(description = "Fan-outs not finished: changes of related rows whose parent documents are still being "
                + "queued for re-rendering", example = "1") long jobs,
        @Schema(description = "Documents those fan-outs have queued for re-rendering so far (each is then rendered and "
                + "sent only if its text changed)", example = "4500") long documentsQueued) {

    static FanoutView of(FanoutRepository.Progress progress) {
        return progress == null ? new FanoutView(0, 0) : new FanoutView(progress.jobs(), progress.documentsQueued());
    }
}
