package io.cozecdc.sync;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

import io.cozecdc.changelog.ChangeLogRepository;
import io.cozecdc.common.Sql;
import io.cozecdc.failures.FailureRepository;
import io.cozecdc.sync.documents.CreateIntentRepository;
import io.cozecdc.sync.documents.LedgerRepository;
import io.cozecdc.sync.documents.LedgerState;

/**
 * Keeps the leases of this replica's work in flight alive, so a slow Coze never lets another replica
 * (or this one) take work that is still running: the change-log rows of each batch and the failures of
 * each retry round ({@code cdc.poll.lease}), the open create intents of calls sent and not yet committed
 * ({@code cdc.intents.lease}), and the documents whose progress is being read. Every
 * {@code cdc.leases.renew-interval} each lease is moved to the database's {@code NOW(3)} plus its
 * length. Work that stops (finished, failed, cancelled) is dropped at once; if the process dies the
 * leases simply run out and any replica takes the work over.
 */
@ApplicationScoped
public class LeaseKeeper {

    private final ChangeLogRepository changeLog;
    private final CreateIntentRepository intents;
    private final LedgerRepository ledger;
    private final FailureRepository failures;
    private final SyncSettings settings;
    private final IntentSettings intentSettings;
    private final LeaseSettings leaseSettings;

    /** Batch claim token → its rows and when the batch started (nanoTime). */
    private final Map<String, Batch> batches = new ConcurrentHashMap<>();
    /** Retry round claim token → its failures and when the round started. */
    private final Map<String, Batch> retries = new ConcurrentHashMap<>();
    /** Intent id → when this replica took it (nanoTime). */
    private final Map<String, Long> openIntents = new ConcurrentHashMap<>();
    /** Document id → lease length of the progress check holding it, and when it started. */
    private final Map<String, Held> tracked = new ConcurrentHashMap<>();

    public LeaseKeeper(ChangeLogRepository changeLog, CreateIntentRepository intents, LedgerRepository ledger,
            FailureRepository failures, SyncSettings settings, IntentSettings intentSettings, LeaseSettings leaseSettings) {
        this.failures = failures;
        this.changeLog = changeLog;
        this.intents = intents;
        this.ledger = ledger;
        this.settings = settings;
        this.intentSettings = intentSettings;
        this.leaseSettings = leaseSettings;
    }

    public void holdBatch(String owner, List<Long> ids) {
        batches.put(owner, new Batch(List.copyOf(ids), System.nanoTime()));
    }

    public void dropBatch(String owner) {
        batches.remove(owner);
    }

    public void holdRetries(String owner, List<Long> failureIds) {
        retries.put(owner, new Batch(List.copyOf(failureIds), System.nanoTime()));
    }

    public void dropRetries(String owner) {
        retries.remove(owner);
    }

    public void holdIntents(List<String> ids) {
        long now = System.nanoTime();
        ids.forEach(id -> openIntents.put(id, now));
    }

    public void dropIntents(List<String> ids) {
        ids.forEach(openIntents::remove);
    }

    public void holdDocuments(List<String> ids, Duration lease) {
        Held held = new Held(lease, System.nanoTime());
        ids.forEach(id -> tracked.put(id, held));
    }

    public void dropDocuments(List<String> ids) {
        ids.forEach(tracked::remove);
    }

    /** A lease at least three renewal intervals long, so a renewal round that runs late does not let it lapse. */
    public Duration renewable(Duration lease) {
        Duration min = leaseSettings.renewInterval().multipliedBy(3);
        return lease.compareTo(min) >= 0 ? lease : min;
    }

    /** Open intents this replica holds (for tests and metrics). */
    public int heldIntents() {
        return openIntents.size();
    }

    @Scheduled(every = "${cdc.leases.renew-interval}", identity = "cdc-lease-renewal",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return renew()
                .ifNoItem().after(leaseSettings.renewInterval().multipliedBy(2)).fail()
                .onFailure().invoke(e -> Log.warnf("Lease renewal round abandoned or failed (cdc-lease-renewal): %s",
                        e.getMessage() == null ? e.toString() : e.getMessage()))
                .onFailure().recoverWithNull();
    }

    /** Renews every lease held now. */
    public Uni<Void> renew() {
        long maxHoldNanos = leaseSettings.maxHold().toNanos();
        long now = System.nanoTime();
        List<Uni<?>> work = new ArrayList<>();
        batches.forEach((owner, batch) -> {
            if (now - batch.startedNanos() > maxHoldNanos) {
                Log.warnf("Batch %s has run for over %s (cdc.leases.max-hold): its change-log rows are no longer "
                        + "renewed and return to the queue when their lease ends", owner, leaseSettings.maxHold());
                batches.remove(owner);
                return;
            }
            work.add(changeLog.renew(owner, batch.ids(), settings.poll().lease()));
        });
        retries.forEach((owner, round) -> {
            if (now - round.startedNanos() > maxHoldNanos) {
                retries.remove(owner);
                return;
            }
            work.add(failures.renew(owner, round.ids(), settings.poll().lease()));
        });
        // work younger than one renewal interval still has most of its first lease: renewing it could only
        // race with its own end (a release to the resolver, a rescheduled check) and push that back
        long young = leaseSettings.renewInterval().toNanos();
        // nothing is renewed for ever: an intent or a document held past the bound (work that lost track of
        // it) goes back to the resolver or the tracker when its lease ends
        dropOlderThan(openIntents, e -> e, now, maxHoldNanos, "create intents");
        dropOlderThan(tracked, Held::sinceNanos, now, maxHoldNanos, "documents being checked");
        List<String> intentIds = openIntents.entrySet().stream().filter(e -> now - e.getValue() >= young)
                .map(Map.Entry::getKey).toList();
        for (List<String> chunk : Sql.chunks(intentIds, 500)) {
            work.add(intents.lease(chunk, intentSettings.lease()));
        }
        Map<Duration, List<String>> docs = new java.util.HashMap<>();
        tracked.forEach((id, held) -> {
            if (now - held.sinceNanos() >= young) {
                docs.computeIfAbsent(held.lease(), l -> new ArrayList<>()).add(id);
            }
        });
        docs.forEach((lease, ids) -> Sql.chunks(ids, 500)
                .forEach(chunk -> work.add(ledger.lease(ledger.pool(), LedgerState.PROCESSING, chunk, lease))));
        if (work.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Multi.createFrom().iterable(work).onItem().transformToUniAndConcatenate(u -> u.onFailure()
                .invoke(e -> Log.debugf("A lease renewal failed (retried next round): %s", e.getMessage()))
                .onFailure().recoverWithNull())
                .collect().last().replaceWithVoid();
    }

    private static <V> void dropOlderThan(Map<String, V> held, java.util.function.ToLongFunction<V> since, long now,
            long maxHoldNanos, String what) {
        List<String> old = held.entrySet().stream().filter(e -> now - since.applyAsLong(e.getValue()) > maxHoldNanos)
                .map(Map.Entry::getKey).toList();
        if (!old.isEmpty()) {
            old.forEach(held::remove);
            Log.warnf("%d %s have been held for over %s (cdc.leases.max-hold): no longer renewed, they are taken "
                    + "over when their lease ends", old.size(), what, Duration.ofNanos(maxHoldNanos));
        }
    }

    private record Batch(List<Long> ids, long startedNanos) {
    }

    private record Held(Duration lease, long sinceNanos) {
    }
}
