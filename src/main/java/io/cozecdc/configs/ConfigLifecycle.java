package io.cozecdc.configs;

import java.time.Clock;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

/**
 * The state machine of sync_configs.status, and the only class that decides it:
 *
 * <pre>
 *   create(enabled) ─► ACTIVE          create(disabled) ─► PAUSED "created disabled"
 *   ACTIVE ─disable─► PAUSED "disabled"   PAUSED ─enable─► ACTIVE   ERROR ─enable─► ACTIVE
 *   ERROR  ─disable─► PAUSED "disabled"   an edit keeps the status, unless it enables or disables
 *   ACTIVE ─Coze refuses the configuration─► ERROR (reason)   ERROR ─Coze answers again─► ACTIVE
 * </pre>
 *
 * The management API asks it for the state of a configuration it creates or edits (and writes the
 * row with it); the delivery path reports Coze's refusals and recoveries to it.
 */
@ApplicationScoped
public class ConfigLifecycle {

    static final String CREATED_DISABLED = "created disabled";
    static final String DISABLED = "disabled";

    private final SyncConfigRepository configs;
    private final Clock clock;

    public ConfigLifecycle(SyncConfigRepository configs, Clock clock) {
        this.configs = configs;
        this.clock = clock;
    }

    /** A new configuration as it is first written: ACTIVE when enabled, else PAUSED. */
    public SyncConfig created(SyncConfig draft) {
        Instant now = clock.instant();
        SyncConfig stamped = new SyncConfig(draft.id(), draft.name(), draft.tableName(), draft.datasetId(), draft.fields(),
                draft.template(), draft.enabled(), ConfigStatus.ACTIVE, null, now, now, draft.related());
        return draft.enabled() ? stamped : stamped.withStatus(false, ConfigStatus.PAUSED, CREATED_DISABLED, now);
    }

    /**
     * An edit of {@code current} whose new content is {@code edited} (its status is ignored): enabling
     * makes it ACTIVE, disabling PAUSED, otherwise it keeps its status and reason (an ERROR stays until
     * Coze answers or it is enabled again).
     */
    public SyncConfig edited(SyncConfig current, SyncConfig edited) {
        Instant now = clock.instant();
        SyncConfig content = new SyncConfig(current.id(), edited.name(), current.tableName(), current.datasetId(),
                edited.fields(), edited.template(), edited.enabled(), current.status(), current.statusReason(),
                current.createdAt(), now, edited.related());
        if (!edited.enabled()) {
            return content.withStatus(false, ConfigStatus.PAUSED, DISABLED, now);
        }
        return current.enabled() ? content : content.withStatus(true, ConfigStatus.ACTIVE, null, now);
    }

    /** Enabled: ACTIVE whatever it was (an ERROR is tried again). */
    public SyncConfig enabled(SyncConfig current) {
        return current.withStatus(true, ConfigStatus.ACTIVE, null, clock.instant());
    }

    /** Disabled: PAUSED. */
    public SyncConfig disabled(SyncConfig current) {
        return current.withStatus(false, ConfigStatus.PAUSED, DISABLED, clock.instant());
    }

    /** True when the edit turns a disabled configuration on (its held changes are then due at once). */
    public static boolean enables(SyncConfig current, SyncConfig edited) {
        return edited.enabled() && !current.enabled();
    }

    /** Coze refused the configuration itself: ERROR with the reason. */
    public Uni<Void> refused(long id, String reason) {
        return configs.setStatus(id, ConfigStatus.ERROR, reason, clock.instant());
    }

    /** Coze answers again: ERROR → ACTIVE; true when it was in ERROR (an edit meanwhile wins). */
    public Uni<Boolean> answered(long id) {
        return configs.clearError(id, clock.instant());
    }
}
