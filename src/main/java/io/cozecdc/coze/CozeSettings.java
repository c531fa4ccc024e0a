package io.cozecdc.coze;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** How the service talks to Coze ({@code coze.*}). */
@ConfigMapping(prefix = "coze")
public interface CozeSettings {

    /**
     * Base URL of the Coze API: https://api.coze.cn (China, the default) or https://api.coze.com.
     * Tokens are region-bound: a coze.com token fails on api.coze.cn with code 4100. Env COZE_BASE_URL.
     */
    @WithDefault("https://api.coze.cn")
    String baseUrl();

    /**
     * Service access token (Bearer). Required in production; without it dev mode uses the dry-run
     * sink. Env COZE_API_TOKEN. Never logged.
     */
    Optional<String> apiToken();

    /**
     * Write documents under target/coze-dry-run/ and log them instead of calling Coze. Defaults to
     * true in dev mode when no token is set, false elsewhere; production without a token and without
     * dry-run refuses to start.
     */
    Optional<Boolean> dryRun();

    /** Coze calls in flight at once, over all datasets. Default 4. */
    @WithDefault("4")
    int maxConcurrency();

    /**
     * Documents per create call, 1 to 10 (Coze's limit). Default 10: fewer, larger calls. Smaller
     * values only help to compare with a one-document-per-call client (the benchmark's baseline).
     */
    @WithDefault("10")
    @WithName("documents-per-create")
    int documentsPerCreate();

    /**
     * Coze calls started per second at most, per replica. Coze publishes no limit for the knowledge
     * endpoints, so this is a ceiling: when Coze throttles (HTTP 429, codes 4009, 4013) the rate halves and
     * then climbs back to it. Default 100.
     */
    @WithDefault("100")
    double rateLimitPerSecond();

    /**
     * Callers allowed to wait for a permit before new calls are refused as overloaded (a retryable
     * error). Bounds memory when Coze is slow. Default 1000.
     */
    @WithDefault("1000")
    int maxWaiting();

    /** Time allowed for one call's answer, after which the call counts as failed (retryable). Default 30 s. */
    @WithDefault("30s")
    Duration requestTimeout();

    /**
     * Quick retries of one call on a retryable error before the record goes to the retry queue.
     * Creates are never retried after a timeout (Coze may have applied them). Default 2.
     */
    @WithDefault("2")
    int callRetries();

    /** First pause between quick retries; doubles each time. Default 200 ms. */
    @WithDefault("200ms")
    Duration callRetryBackoff();

    /**
     * While Coze looks down, the pause before the next call that probes it doubles from 1 s up to this.
     * Default 30 s.
     */
    @WithDefault("30s")
    Duration downProbeMax();

    /** Largest request body Coze accepts (documented cap: 15 MB). */
    @WithDefault("15728640")
    long maxBodyBytes();

    /** Chunking sent with every create, chosen so one rendered row is one retrieval chunk. */
    Chunking chunking();

    /** {@code coze.chunking.*} */
    interface Chunking {
        /**
         * Separator Coze splits on. Rendered rows never contain it, so a row up to max-tokens is one chunk.
         * Default "###cdc-row###".
         */
        @WithDefault("###cdc-row###")
        String separator();

        /** Largest chunk in tokens (Coze allows 100-2000). Longer rows are split by Coze. Default 2000. */
        @WithDefault("2000")
        @WithName("max-tokens")
        int maxTokens();
    }
}
