package io.cozecdc.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The pipeline's own meters. Tags stay low-cardinality: table and config names, never record keys.
 * Names as Prometheus shows them: cdc_changes_processed_total, cdc_sync_lag_seconds,
 * cdc_sync_ready_lag_seconds, cdc_batch_size, cdc_documents_failed_total, cdc_documents_oversized_total,
 * cdc_last_poll_timestamp_seconds.
 */
@ApplicationScoped
public class SyncMetrics {

    /** Bucket bounds for the lag histograms: 50 ms to 60 s. */
    static final Duration[] LAG_BUCKETS = {
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
        Duration.ofSeconds(30), Duration.ofSeconds(60),
    };

    private final MeterRegistry registry;
    private final DistributionSummary batchSize;
    private final AtomicLong lastPollMillis = new AtomicLong();

    public SyncMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.batchSize = DistributionSummary.builder("cdc.batch.size").description("Change-log rows per claimed batch")
                .register(registry);
        Gauge.builder("cdc.last.poll.timestamp.seconds", lastPollMillis, v -> v.get() / 1000.0)
                .description("When a poll of the change log last completed (Unix seconds)").register(registry);
    }

    public void batch(int size) {
        batchSize.record(size);
    }

    public void processed(String table, String config, CommitStatus status, int count) {
        Counter.builder("cdc.changes.processed").description("Changes handled, by table, config and outcome")
                .tags("table", table, "config", config, "outcome", status.tag()).register(registry).increment(count);
    }

    /** Capture → Coze accepted the change. */
    public void lag(Instant capturedAt, Instant now) {
        timer("cdc.sync.lag", "Capture to Coze accepting the change").record(between(capturedAt, now));
    }

    /** Capture → Coze finished processing the change's document (the bot can find it). */
    public void readyLag(Instant capturedAt, Instant now) {
        timer("cdc.sync.ready.lag", "Capture to Coze reporting the document processed").record(between(capturedAt, now));
    }

    public void documentFailed(String config) {
        Counter.builder("cdc.documents.failed").description("Documents Coze failed to process (status 9) or timed out")
                .tags("config", config).register(registry).increment();
    }

    public void oversized(String config) {
        Counter.builder("cdc.documents.oversized")
                .description("Rows rendered longer than one chunk (Coze splits them)").tags("config", config)
                .register(registry).increment();
    }

    public void polled(Instant at) {
        lastPollMillis.set(at.toEpochMilli());
    }

    private Timer timer(String name, String description) {
        return Timer.builder(name).description(description).serviceLevelObjectives(LAG_BUCKETS)
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry);
    }

    private static Duration between(Instant from, Instant to) {
        if (from == null || to.isBefore(from)) {
            return Duration.ZERO;
        }
        return Duration.between(from, to);
    }
}
