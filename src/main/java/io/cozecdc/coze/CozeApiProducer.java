package io.cozecdc.coze;

import java.nio.file.Path;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.LaunchMode;
import io.vertx.core.Vertx;

import io.cozecdc.sink.KnowledgeBase;

/**
 * Chooses how the service reaches Coze: over HTTP with the configured token, or the dry-run sink
 * (asked for explicitly, or dev mode without a token). Production without a token is refused by
 * {@link CozeSettingsCheck} at startup.
 */
@ApplicationScoped
public class CozeApiProducer {

    @Produces
    @ApplicationScoped
    KnowledgeBase cozeApi(CozeSettings config, @RestClient CozeRestClient rest, CozeHealth health, ObjectMapper json,
            MeterRegistry meters, Vertx vertx) {
        if (useDryRun(config, LaunchMode.current())) {
            return new DryRunCoze(Path.of("target", "coze-dry-run"), CozeLimits.of(config));
        }
        CallLimiter limiter = new CallLimiter(config.maxConcurrency(), config.rateLimitPerSecond(), config.maxWaiting(), vertx);
        Gauge.builder("coze.rate.limit.per.second", limiter, CallLimiter::currentRate)
                .description("Coze calls the service starts per second at most now: coze.rate-limit-per-second, "
                        + "or less while Coze throttles").register(meters);
        Gauge.builder("coze.rate.limit.max.per.second", limiter, CallLimiter::maxRate)
                .description("coze.rate-limit-per-second: the most Coze calls the service starts per second").register(meters);
        Gauge.builder("coze.calls.in.flight", limiter, CallLimiter::inFlight)
                .description("Coze calls in flight now").register(meters);
        Gauge.builder("coze.calls.waiting", limiter, CallLimiter::waitingCount)
                .description("Coze calls waiting for a permit now").register(meters);
        return new CozeClient(rest, config, limiter, health, json, meters);
    }

    /** Dry run when asked, or in dev mode when no token is set and nothing was asked. */
    static boolean useDryRun(CozeSettings config, LaunchMode mode) {
        if (config.dryRun().isPresent()) {
            return config.dryRun().get();
        }
        return config.apiToken().filter(t -> !t.isBlank()).isEmpty() && mode == LaunchMode.DEVELOPMENT;
    }
}
