package io.cozecdc.capture;

import java.util.List;
import java.util.stream.Collectors;

import io.cozecdc.api.ApiException;

/**
 * The database refuses to install capture triggers because of its settings or the service user's
 * grants (found by {@link DatabasePreflight}, or reported by the server: errors 1419, 1142, 1227,
 * 1665). The API answers 409 with the reason and the fix; startup logs it and goes on.
 */
public class CaptureRefusedException extends ApiException {

    private final transient List<PreflightProblem> problems;

    public CaptureRefusedException(List<PreflightProblem> problems) {
        super(409, "database-refuses-capture", "The database refuses capture triggers",
                problems.stream().map(PreflightProblem::describe).collect(Collectors.joining(" ")), null);
        this.problems = List.copyOf(problems);
    }

    public List<PreflightProblem> problems() {
        return problems;
    }
}
