package io.cozecdc.sync;

import java.util.List;
import java.util.Map;

import io.cozecdc.changelog.Change;

/**
 * What a commit decided.
 *
 * @param statuses          how each change ended
 * @param obsoleteDocuments documents no longer wanted, to delete from Coze now
 */
public record CommitResult(Map<Change, CommitStatus> statuses, List<String> obsoleteDocuments) {
}
