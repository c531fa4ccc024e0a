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
    static final String TAKE = "UPDATE cdc_job_leases SET owner = ?, expires_at = ? WHERE job = ? AND (expires_at < ? OR owner = ?)";

    private final Pool pool;

    public JobLeaseRepository(Pool pool) {
        this.pool = pool;
    }

    /** Takes (or extends) the job's lease until {@code until}; true when this owner holds it now. */
    public Uni<Boolean> tryAcquire(String job, String owner, Instant now, Instant until) {
        return pool.preparedQuery(ENSURE).execute(Tuple.of(job, Timestamps.toDb(Instant.EPOCH.plusSeconds(1))))
                .chain(() -> pool.preparedQuery(TAKE)
                        .execute(Tuple.of(owner, Timestamps.toDb(until), job, Timestamps.toDb(now), owner)))
                .map(rows -> rows.rowCount() == 1);
    }
}
