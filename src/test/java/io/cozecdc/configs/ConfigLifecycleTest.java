package io.cozecdc.configs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The transitions of sync_configs.status that the management API asks ConfigLifecycle for. */
class ConfigLifecycleTest {

    static final Instant CREATED = Instant.parse("2026-12-01T08:00:00Z");
    static final Instant NOW = Instant.parse("2026-12-05T10:03:00Z");
    static final List<Relation> RELATED = List.of(new Relation("supplier", "suppliers", Map.of("supplier_id", "id"),
            List.of("name"), null, null, List.of()));

    final ConfigLifecycle lifecycle = new ConfigLifecycle(null, Clock.fixed(NOW, ZoneOffset.UTC));

    static SyncConfig config(boolean enabled, ConfigStatus status, String reason) {
        return new SyncConfig(7, "products-kb", "products", 42, List.of("name"), null, enabled, status, reason,
                CREATED, CREATED, RELATED);
    }

    @Test
    void createdEnabledIsActiveAndDisabledIsPaused() {
        SyncConfig active = lifecycle.created(config(true, null, null));
        assertEquals(ConfigStatus.ACTIVE, active.status());
        assertNull(active.statusReason());
        assertEquals(NOW, active.createdAt());
        SyncConfig paused = lifecycle.created(config(false, null, null));
        assertEquals(ConfigStatus.PAUSED, paused.status());
        assertEquals("created disabled", paused.statusReason());
        assertFalse(paused.isActive());
    }

    @Test
    void enableAndDisableFromEveryState() {
        for (ConfigStatus from : ConfigStatus.values()) {
            SyncConfig c = config(from != ConfigStatus.PAUSED, from, from == ConfigStatus.ACTIVE ? null : "why");
            SyncConfig on = lifecycle.enabled(c);
            assertTrue(on.isActive(), "enable from " + from);
            assertNull(on.statusReason());
            SyncConfig off = lifecycle.disabled(c);
            assertEquals(ConfigStatus.PAUSED, off.status(), "disable from " + from);
            assertFalse(off.enabled());
            assertEquals(RELATED, off.related(), "a status change keeps the relations");
            assertEquals(NOW, off.updatedAt());
            assertEquals(CREATED, off.createdAt());
        }
    }

    @Test
    void anEditKeepsTheStatusUnlessItEnablesOrDisables() {
        SyncConfig inError = config(true, ConfigStatus.ERROR, "Coze refused the configuration: 4100");
        SyncConfig edit = new SyncConfig(7, "renamed", "ignored", 1, List.of("sku"), "{sku}", true, null, null, null, null, List.of());
        SyncConfig edited = lifecycle.edited(inError, edit);
        assertEquals(ConfigStatus.ERROR, edited.status(), "an edit does not hide Coze's refusal");
        assertEquals(inError.statusReason(), edited.statusReason());
        assertEquals("renamed", edited.name());
        assertEquals("products", edited.tableName(), "the table is fixed once created");
        assertEquals(42, edited.datasetId(), "the dataset is fixed once created");
        assertEquals(List.of(), edited.related());
        assertFalse(ConfigLifecycle.enables(inError, edit));

        SyncConfig paused = config(false, ConfigStatus.PAUSED, "disabled");
        assertTrue(ConfigLifecycle.enables(paused, edit));
        assertTrue(lifecycle.edited(paused, edit).isActive());

        SyncConfig off = new SyncConfig(7, "x", "products", 42, List.of(), null, false, null, null, null, null);
        SyncConfig disabled = lifecycle.edited(config(true, ConfigStatus.ACTIVE, null), off);
        assertEquals(ConfigStatus.PAUSED, disabled.status());
        assertEquals("disabled", disabled.statusReason());
    }
}
