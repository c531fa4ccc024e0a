package io.cozecdc.bench;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.cozecdc.testing.TestDb;
import io.cozecdc.testing.coze.FakeEvent;

/**
 * When each captured change reached Coze, from the change log (capture time, {@code created_at}) and
 * the fake's history (the time it received a document). Document names carry the change's log id and
 * the record key ({@code cdc:<config>:<log id>:<s>:<table>:<key>}), so:
 *
 * <ul>
 * <li>an insert or update is delivered when the fake receives a document of that record carrying this
 * change or a newer one (coalescing may fold several changes into one document);</li>
 * <li>a delete is delivered when the record has no document left in the fake (the old content is gone
 * for the bot);</li>
 * <li>an insert or update folded into a later delete before any document was sent is delivered with
 * that delete; a change with no effect on Coze at all (insert and delete folded together) is counted
 * apart, as unobservable.</li>
 * </ul>
 */
final class Deliveries {

    /** One change of the log. */
    record Change(long id, String key, String operation, double capturedMillis) {
    }

    /** Lags in milliseconds, and how many changes showed no effect in Coze. */
    record Lags(List<Double> millis, int unobservable) {
    }

    private Deliveries() {
    }

    /** The products changes with {@code id > afterId} and {@code id <= upToId}. */
    static List<Change> changes(TestDb sql, long afterId, long upToId) {
        List<Change> changes = new ArrayList<>();
        for (Map<String, Object> row : sql.query("SELECT id, record_uuid, operation_type, UNIX_TIMESTAMP(created_at) * 1000 AS ms "
                + "FROM data_change_logs WHERE table_name = 'products' AND id > ? AND id <= ? ORDER BY id", afterId, upToId)) {
            changes.add(new Change(((Number) row.get("id")).longValue(), (String) row.get("record_uuid"),
                    (String) row.get("operation_type"), ((BigDecimal) row.get("ms")).doubleValue()));
        }
        return changes;
    }

    static Lags lags(List<Change> changes, List<FakeEvent> events, String dataset) {
        Map<String, List<double[]>> createdByKey = new HashMap<>(); // key -> [log id, at]
        Map<String, List<Double>> emptiedByKey = new HashMap<>();   // key -> instants its last document went
        Map<String, Set<String>> liveByKey = new HashMap<>();
        for (FakeEvent e : events) {
            if (!e.datasetId().equals(dataset)) {
                continue;
            }
            String[] parts = e.name().split(":", 6);
            if (parts.length < 6) {
                continue;
            }
            String key = parts[5];
            double at = millis(e);
            if (e.type() == FakeEvent.Type.CREATED) {
                createdByKey.computeIfAbsent(key, k -> new ArrayList<>()).add(new double[] {Long.parseLong(parts[2]), at});
                liveByKey.computeIfAbsent(key, k -> new HashSet<>()).add(e.documentId());
            } else if (e.type() == FakeEvent.Type.DELETED) {
                Set<String> live = liveByKey.computeIfAbsent(key, k -> new HashSet<>());
                live.remove(e.documentId());
                if (live.isEmpty()) {
                    emptiedByKey.computeIfAbsent(key, k -> new ArrayList<>()).add(at);
                }
            }
        }
        Map<String, Change> deleteOfKey = new HashMap<>();
        for (Change c : changes) {
            if (c.operation().equals("DELETE")) {
                deleteOfKey.put(c.key(), c);
            }
        }
        List<Double> lags = new ArrayList<>();
        int unobservable = 0;
        for (Change c : changes) {
            Double delivered = c.operation().equals("DELETE") ? emptied(emptiedByKey, c)
                    : created(createdByKey, c);
            if (delivered == null && !c.operation().equals("DELETE")) {
                Change delete = deleteOfKey.get(c.key());
                if (delete != null && delete.id() > c.id()) {
                    delivered = emptied(emptiedByKey, delete);
                }
            }
            if (delivered == null) {
                unobservable++;
            } else {
                lags.add(delivered - c.capturedMillis());
            }
        }
        return new Lags(lags, unobservable);
    }

    private static Double created(Map<String, List<double[]>> createdByKey, Change c) {
        Double best = null;
        for (double[] doc : createdByKey.getOrDefault(c.key(), List.of())) {
            if (doc[0] >= c.id() && (best == null || doc[1] < best)) {
                best = doc[1];
            }
        }
        return best;
    }

    private static Double emptied(Map<String, List<Double>> emptiedByKey, Change c) {
        for (double at : emptiedByKey.getOrDefault(c.key(), List.of())) {
            if (at >= c.capturedMillis()) {
                return at;
            }
        }
        return null;
    }

    private static double millis(FakeEvent e) {
        return e.at().getEpochSecond() * 1000.0 + e.at().getNano() / 1e6;
    }
}
