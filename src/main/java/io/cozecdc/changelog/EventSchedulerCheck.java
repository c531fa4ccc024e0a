package io.cozecdc.changelog;

import java.time.Duration;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Warns at startup when the database will not run event_cleanup_processed_changes, and says that
 * the service's own cleanup covers it (or that nothing does).
 */
@Singleton
public class EventSchedulerCheck {

    static final String EVENT_SCHEDULER = "SELECT @@global.event_scheduler";

    private final Pool pool;
    private final CleanupSettings cleanup;

    public EventSchedulerCheck(Pool pool, CleanupSettings cleanup) {
        this.pool = pool;
        this.cleanup = cleanup;
    }

    void onStart(@Observes StartupEvent event) {
        String state = pool.query(EVENT_SCHEDULER).execute()
                .map(rows -> String.valueOf(rows.iterator().next().getValue(0)))
                .onFailure().recoverWithItem(e -> "UNKNOWN (" + e.getMessage() + ")")
                .await().atMost(Duration.ofSeconds(30));
        if ("ON".equalsIgnoreCase(state) || "1".equals(state)) {
            return;
        }
        if (cleanup.enabled()) {
            Log.warnf("The database's event_scheduler is %s, so event_cleanup_processed_changes will not run. "
                    + "The service's own cleanup (cdc.cleanup.cron='%s', retention %s) removes processed changes instead. "
                    + "To let the database do it too: SET GLOBAL event_scheduler = ON (and event_scheduler=ON in my.cnf).",
                    state, cleanup.cron(), cleanup.retention());
        } else {
            Log.warnf("The database's event_scheduler is %s and cdc.cleanup.enabled=false: NOTHING removes processed "
                    + "changes, and data_change_logs will grow without bound. Turn one of them on.", state);
        }
    }
}
