package io.cozecdc.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import io.cozecdc.changelog.PendingStats;
import io.cozecdc.common.JobControl;
import io.cozecdc.common.RuntimeSettings;
import io.cozecdc.sync.PollerHeartbeat;
import io.cozecdc.sync.SyncSettings;

/** Liveness fails only when changes are pending and the poller has not finished a round for too long. */
class PollerLivenessTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final PollerHeartbeat heartbeat = new PollerHeartbeat(clock);
    private final StateMetrics state = new StateMetrics(null, new SimpleMeterRegistry(), clock,
            new io.cozecdc.common.JobRounds(clock), null);
    private boolean pollEnabled = true;
    private JobControl control;
    private PollerLiveness liveness;

    @BeforeEach
    void setUp() {
        control = new JobControl(runtime());
        liveness = new PollerLiveness(heartbeat, state, control, settings(), ops(Duration.ofMinutes(5)), clock);
    }

    @Test
    void upWhileNothingIsPendingHoweverLongThePollerWasQuiet() {
        pending(0);
        clock.advance(Duration.ofHours(1));
        assertThat(liveness.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    }

    @Test
    void downWhenChangesArePendingAndNoRoundEndedForTooLong() {
        pending(12);
        clock.advance(Duration.ofMinutes(4));
        assertThat(liveness.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);

        clock.advance(Duration.ofMinutes(2));
        HealthCheckResponse down = liveness.call();
        assertThat(down.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(down.getData().orElseThrow().get("reason").toString()).contains("stuck").contains("360 s");
        assertThat(down.getData().orElseThrow()).containsEntry("pendingChanges", 12L);
    }

    @Test
    void aRoundThatEndsKeepsItUp() {
        pending(12);
        clock.advance(Duration.ofMinutes(4));
        beat();
        clock.advance(Duration.ofMinutes(4));
        assertThat(liveness.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    }

    @Test
    void aPausedOrSwitchedOffPollerIsNotStuck() {
        pending(12);
        clock.advance(Duration.ofHours(1));
        control.pauseAndWait(Duration.ZERO);
        assertThat(liveness.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);

        control.resume();
        pollEnabled = false;
        assertThat(liveness.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    }

    private void pending(long count) {
        var table = new PendingStats.TablePending("products", count, count == 0 ? null : clock.instant(), Duration.ZERO);
        state.publish(new StateSnapshot(Map.of("products", table), List.of(), Map.of(), Map.of(), clock.instant()));
    }

    private void beat() {
        heartbeat.beat();
    }

    private static OpsSettings ops(Duration stuckAfter) {
        return new OpsSettings() {
            @Override
            public Duration metricsRefresh() {
                return Duration.ofSeconds(5);
            }

            @Override
            public Duration pollerStuckAfter() {
                return stuckAfter;
            }
        };
    }

    private static RuntimeSettings runtime() {
        return new RuntimeSettings() {
            public Optional<String> instanceId() {
                return Optional.empty();
            }

            public boolean startPaused() {
                return false;
            }

            public String logLanguage() {
                return "en";
            }
        };
    }

    private SyncSettings settings() {
        SyncSettings.Poll poll = new SyncSettings.Poll() {
            public boolean enabled() {
                return pollEnabled;
            }

            public int batchSize() {
                return 100;
            }

            public Duration interval() {
                return Duration.ofMillis(200);
            }

            public Duration lease() {
                return Duration.ofMinutes(2);
            }

            public int configConcurrency() {
                return 4;
            }

            public int parallelBatches() {
                return 2;
            }
        };
        return new SyncSettings() {

            public Poll poll() {
                return poll;
            }

            public Configs configs() {
                return null;
            }

            public Processing processing() {
                return null;
            }

            public Cleanup janitor() {
                return null;
            }

        };
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
