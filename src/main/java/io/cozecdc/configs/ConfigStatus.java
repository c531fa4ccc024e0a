package io.cozecdc.configs;

/** Whether a sync configuration is syncing. */
public enum ConfigStatus {
    /** Syncing. */
    ACTIVE,
    /** Disabled by a user: its changes are not synced and not queued. */
    PAUSED,
    /**
     * Coze refused the configuration itself (bad or under-privileged token, dataset not found): its
     * changes are held as retrying failures and Coze is not called for it until a probe succeeds or
     * it is re-enabled.
     */
    ERROR
}
