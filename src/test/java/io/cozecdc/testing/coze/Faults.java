package io.cozecdc.testing.coze;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;

import io.cozecdc.testing.coze.FakeCoze.Endpoint;

/** Fault configuration of a {@link FakeCoze} and the seeded random draws deciding when faults fire. */
final class Faults {

    /** A value injected for a share of calls. */
    private record ShareRule(int value, double share) {
    }

    /** A response hold injected for a share of calls. */
    private record HoldRule(double share, Duration hold) {
    }

    /** Documents whose content contains {@code marker} fail processing with {@code reason}. */
    private record MarkerRule(String marker, String reason) {
    }

    /** The final state a created document reaches once its processing delay elapses. */
    record Outcome(int status, String reason) {
    }

    private Random random = new Random();
    private Duration globalLatency = Duration.ZERO;
    private final Map<Endpoint, Duration> latencies = new EnumMap<>(Endpoint.class);
    private final Map<Endpoint, ShareRule> codeFaults = new EnumMap<>(Endpoint.class);
    private final Map<Endpoint, ShareRule> statusFaults = new EnumMap<>(Endpoint.class);
    private final Map<Endpoint, HoldRule> holds = new EnumMap<>(Endpoint.class);
    private final List<String> rejectMarkers = new ArrayList<>();
    private final Set<String> missingDatasets = new HashSet<>();
    private final List<MarkerRule> failMarkers = new ArrayList<>();
    private boolean revoked;
    private boolean listNewestFirst;
    private Duration processingDelay = Duration.ZERO;
    private double failShare;
    private String failReason;
    /** Calls accepted per second at most; 0 = no quota. */
    private double quota;
    private final java.util.ArrayDeque<Long> accepted = new java.util.ArrayDeque<>();
    private long throttled;
    /** Most documents one list answer carries, whatever size was asked for. */
    private int listPageCap = Integer.MAX_VALUE;
    /** Documents another client deletes right after the next list call has been answered. */
    private final List<String> deleteAfterList = new ArrayList<>();

    synchronized void clear() {
        globalLatency = Duration.ZERO;
        latencies.clear();
        codeFaults.clear();
        statusFaults.clear();
        holds.clear();
        rejectMarkers.clear();
        missingDatasets.clear();
        failMarkers.clear();
        revoked = false;
        listNewestFirst = false;
        processingDelay = Duration.ZERO;
        failShare = 0;
        failReason = null;
        quota = 0;
        accepted.clear();
        throttled = 0;
        listPageCap = Integer.MAX_VALUE;
        deleteAfterList.clear();
    }

    synchronized void deleteAfterNextList(List<String> documentIds) {
        deleteAfterList.addAll(documentIds);
    }

    /** The documents to delete after this list call (once: the list is emptied). */
    synchronized List<String> takeDeleteAfterList() {
        List<String> ids = List.copyOf(deleteAfterList);
        deleteAfterList.clear();
        return ids;
    }

    synchronized void capListPage(int documents) {
        if (documents < 1) {
            throw new IllegalArgumentException("the page cap must be >= 1: " + documents);
        }
        listPageCap = documents;
    }

    /** The page size a list answer uses when {@code asked} documents were asked for. */
    synchronized int listPageSize(int asked) {
        return Math.min(asked, listPageCap);
    }

    synchronized void quota(double callsPerSecond) {
        if (callsPerSecond < 0) {
            throw new IllegalArgumentException("quota must be >= 0: " + callsPerSecond);
        }
        quota = callsPerSecond;
        accepted.clear();
    }

    /**
     * Whether this call is over the quota: more than {@code quota} calls were accepted in the last
     * second (a sliding window). An accepted call counts; a refused one does not.
     */
    synchronized boolean overQuota(long nowNanos) {
        if (quota <= 0) {
            return false;
        }
        while (!accepted.isEmpty() && nowNanos - accepted.peekFirst() >= 1_000_000_000L) {
            accepted.pollFirst();
        }
        if (accepted.size() >= quota) {
            throttled++;
            return true;
        }
        accepted.addLast(nowNanos);
        return false;
    }

    synchronized long throttled() {
        return throttled;
    }

    synchronized void seed(long seed) {
        random = new Random(seed);
    }

    synchronized void latency(Duration d) {
        globalLatency = nonNegative(d);
    }

    synchronized void latency(Endpoint e, Duration d) {
        latencies.put(e, nonNegative(d));
    }

    synchronized Duration latencyFor(Endpoint e) {
        return latencies.getOrDefault(e, globalLatency);
    }

    synchronized void failWithCode(Endpoint e, int code, double share) {
        codeFaults.put(e, new ShareRule(code, share(share)));
    }

    synchronized void failWithHttpStatus(Endpoint e, int status, double share) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("HTTP status must be 4xx or 5xx: " + status);
        }
        statusFaults.put(e, new ShareRule(status, share(share)));
    }

    synchronized void timeoutAfterApply(Endpoint e, double share, Duration hold) {
        holds.put(e, new HoldRule(share(share), nonNegative(hold)));
    }

    synchronized void rejectContentContaining(String marker) {
        rejectMarkers.add(nonEmpty(marker));
    }

    synchronized void listNewestFirst(boolean value) {
        listNewestFirst = value;
    }

    synchronized boolean listNewestFirst() {
        return listNewestFirst;
    }

    synchronized void revokeAuth(boolean value) {
        revoked = value;
    }

    synchronized boolean revoked() {
        return revoked;
    }

    synchronized void datasetMissing(String datasetId, boolean missing) {
        if (missing) {
            missingDatasets.add(datasetId);
        } else {
            missingDatasets.remove(datasetId);
        }
    }

    synchronized boolean isDatasetMissing(String datasetId) {
        return missingDatasets.contains(datasetId);
    }

    synchronized void processingDelay(Duration d) {
        processingDelay = nonNegative(d);
    }

    synchronized Duration processingDelay() {
        return processingDelay;
    }

    synchronized void failProcessing(double share, String reason) {
        failShare = share(share);
        failReason = nonEmpty(reason);
    }

    synchronized void failProcessingContaining(String marker, String reason) {
        failMarkers.add(new MarkerRule(nonEmpty(marker), nonEmpty(reason)));
    }

    /** Draws whether this call is answered by an injected HTTP status; empty when not. */
    synchronized OptionalInt drawHttpStatus(Endpoint e) {
        ShareRule rule = statusFaults.get(e);
        return rule != null && hit(rule.share()) ? OptionalInt.of(rule.value()) : OptionalInt.empty();
    }

    /** Draws whether this call is answered by an injected body code; empty when not. */
    synchronized OptionalInt drawCode(Endpoint e) {
        ShareRule rule = codeFaults.get(e);
        return rule != null && hit(rule.share()) ? OptionalInt.of(rule.value()) : OptionalInt.empty();
    }

    /** Draws how long to hold this call's answer after applying it; zero when not held. */
    synchronized Duration drawHold(Endpoint e) {
        HoldRule rule = holds.get(e);
        return rule != null && hit(rule.share()) ? rule.hold() : Duration.ZERO;
    }

    /** The first reject marker found in any of the contents. */
    synchronized Optional<String> rejectedMarker(Collection<String> contents) {
        for (String marker : rejectMarkers) {
            for (String content : contents) {
                if (content.contains(marker)) {
                    return Optional.of(marker);
                }
            }
        }
        return Optional.empty();
    }

    /** Decides the final status of a new document: content markers first, then the random share. */
    synchronized Outcome outcomeFor(String content) {
        for (MarkerRule rule : failMarkers) {
            if (content.contains(rule.marker())) {
                return new Outcome(FakeDocument.FAILED, rule.reason());
            }
        }
        if (failReason != null && hit(failShare)) {
            return new Outcome(FakeDocument.FAILED, failReason);
        }
        return new Outcome(FakeDocument.DONE, null);
    }

    private boolean hit(double share) {
        if (share <= 0) {
            return false;
        }
        return share >= 1 || random.nextDouble() < share;
    }

    private static double share(double share) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("share must be within 0..1: " + share);
        }
        return share;
    }

    private static Duration nonNegative(Duration d) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException("duration must be >= 0: " + d);
        }
        return d;
    }

    private static String nonEmpty(String s) {
        if (s == null || s.isEmpty()) {
            throw new IllegalArgumentException("must not be empty");
        }
        return s;
    }
}
