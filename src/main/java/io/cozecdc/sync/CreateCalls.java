package io.cozecdc.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Splits the documents to create into calls: at most {@code perCall} documents each (Coze allows 10)
 * and, unless a single document is bigger, under the request body cap. Order is kept.
 */
final class CreateCalls {

    private CreateCalls() {
    }

    static <T> List<List<T>> split(List<T> documents, int perCall, long maxBodyBytes, ToLongFunction<T> bodyBytes) {
        if (perCall < 1) {
            throw new IllegalArgumentException("perCall must be at least 1: " + perCall);
        }
        List<List<T>> calls = new ArrayList<>();
        List<T> current = new ArrayList<>();
        long bytes = 0;
        for (T doc : documents) {
            long size = bodyBytes.applyAsLong(doc);
            if (!current.isEmpty() && (current.size() == perCall || bytes + size > maxBodyBytes)) {
                calls.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(doc);
            bytes += size;
        }
        if (!current.isEmpty()) {
            calls.add(current);
        }
        return calls;
    }
}
