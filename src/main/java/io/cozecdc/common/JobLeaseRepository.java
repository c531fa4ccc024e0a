package io.cozecdc.common;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** SQL for cdc_job_leases: lets one replica at a time run a job. */
@ApplicationScoped
public class JobLeaseRepository {

    static final String ENSURE = "INSERT IGNORE INTO cdc_job_leases (job, owner, expires_at) VALUES (?, '', ?)";
    static final String TAKE = "UPDATE cdc_job_leases SET owner = ?, expires_at = DATE_ADD(NOW(3), INTERVAL ? MICROSECOND) "
            + "WHERE job = ? AND (expires_at < NOW(3) OR owner = ?)";

    private final Pool pool;

    public JobLeaseRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Takes (or extends) the job's lease for {@code until - now}; true when this owner holds it now. Expiry
     * is judged and stamped with the database's clock, so replicas with skewed clocks agree.
     */
    public Uni<Boolean> tryAcquire(String job, String owner, Instant now, Instant until) {
        long micros = Math.max(0, java.time.Duration.between(now, until).toNanos() / 1000);
        return pool.preparedQuery(ENSURE).execute(Tuple.of(job, Timestamps.toDb(Instant.EPOCH.plusSeconds(1))))
                .chain(() -> pool.preparedQuery(TAKE).execute(Tuple.of(owner, micros, job, owner)))
                .map(rows -> rows.rowCount() == 1);
    }
}
