package io.cozecdc.capture;

/**
 * One reason the database will refuse (part of) what the service does, with the exact fix.
 *
 * @param code          stable name of the check, e.g. {@code BINLOG_TRUST_FUNCTION_CREATORS}
 * @param blocksCapture true when installing triggers is refused while the problem lasts
 * @param reason        what is wrong, in the log language
 * @param fix           what to set or grant, in the log language
 */
public record PreflightProblem(String code, boolean blocksCapture, String reason, String fix) {

    /** Reason and fix as one line, for logs, readiness data and API problems. */
    public String describe() {
        return reason + " " + fix;
    }
}
