package io.cozecdc.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.cozecdc.testing.TestDb;

/**
 * The service's claim query (ChangeLogRepository.CLAIM_SELECT, with NOW(3) for the lease bound and a
 * batch of 100): its plan, and how long it takes to read the rows it would claim.
 */
final class ClaimQuery {

    static final String SELECT = "SELECT id, table_name, record_uuid, operation_type, change_data, created_at, target_config_id "
            + "FROM data_change_logs WHERE processed = 0 AND (claim_expires_at IS NULL OR claim_expires_at < NOW(3)) "
            + "ORDER BY id LIMIT 100";

    private ClaimQuery() {
    }

    /** EXPLAIN of the claim with its locking clause, as a small text table. */
    static String explain(TestDb sql) {
        List<Map<String, Object>> rows;
        try {
            rows = sql.query("EXPLAIN " + SELECT + " FOR UPDATE SKIP LOCKED");
        } catch (IllegalStateException e) {
            rows = sql.query("EXPLAIN " + SELECT);
        }
        List<String> lines = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            lines.add("table=" + row.get("table") + " type=" + row.get("type") + " possible_keys=" + row.get("possible_keys")
                    + " key=" + row.get("key") + " key_len=" + row.get("key_len") + " ref=" + row.get("ref") + " rows="
                    + row.get("rows") + " Extra=" + row.get("Extra"));
        }
        return String.join("\n", lines);
    }

    /** The key the plan uses (null: a full scan). */
    static String keyUsed(TestDb sql) {
        return (String) sql.query("EXPLAIN " + SELECT).get(0).get("key");
    }

    /** Median milliseconds of five reads of the rows a claim would take (a plain read: no locks). */
    static double millis(TestDb sql) {
        double[] times = new double[5];
        for (int i = 0; i < times.length; i++) {
            long start = System.nanoTime();
            sql.query(SELECT);
            times[i] = (System.nanoTime() - start) / 1e6;
        }
        return Stats.of(times).median();
    }
}
