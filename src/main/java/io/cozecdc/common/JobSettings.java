package io.cozecdc.common;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Time bounds of the scheduled jobs and of database statements ({@code cdc.jobs.*}). A round still
 * running at its bound is abandoned with a WARN naming the job, so the next round can run, and
 * liveness goes DOWN naming the job until one of its rounds ends by itself ({@link JobRounds}).
 */
@ConfigMapping(prefix = "cdc.jobs")
public interface JobSettings {

    /** Setting name of {@link #roundTimeout()}, as WARN lines and liveness name it. */
    String ROUND_TIMEOUT = "cdc.jobs.round-timeout";
    /** Setting name of {@link #cleanupTimeout()}. */
    String CLEANUP_TIMEOUT = "cdc.jobs.cleanup-timeout";

    /**
     * Longest one round of the processing tracker, the document janitor, the backfill worker, drift
     * repair, the state gauges, the configuration refresh and the configuration error probe may take.
     * Keep it above the longest legitimate round: under a Coze outage each Coze call of a round may take
     * {@code coze.request-timeout} × ({@code coze.call-retries} + 1) before it fails. The poller's
     * batches and the retry worker's rounds are bounded by {@code cdc.poll.lease} instead, and
     * reconciliation by {@code cdc.reconcile.interval} (its lease). Default 5 min.
     */
    @WithDefault("5m")
    Duration roundTimeout();

    /** Longest one run of the change-log cleanup may take. Default 1 h. */
    @WithDefault("1h")
    Duration cleanupTimeout();

    /**
     * Longest a database statement of the reactive pool may take. Enforced twice: by the server
     * ({@code max_statement_time} on MariaDB, every statement; {@code max_execution_time} on MySQL,
     * SELECT only), which stops the statement and frees its locks, and by the client, which closes a
     * connection that has received nothing for this long (a half-open connection after a network
     * partition would otherwise wait for the kernel's retransmission limit, about 15 min, or for ever).
     * Keep it above {@code innodb_lock_wait_timeout} (50 s by default). 0 switches both off.
     * Default 60 s.
     */
    @WithDefault("60s")
    Duration statementTimeout();
}
