package io.cozecdc.configapi;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

import io.cozecdc.api.ApiException;
import io.cozecdc.backfill.BackfillJob;
import io.cozecdc.backfill.BackfillRepository;
import io.cozecdc.backfill.BackfillState;
import io.cozecdc.capture.TableDescriber;
import io.cozecdc.capture.TriggerService;
import io.cozecdc.capture.TriggerState;
import io.cozecdc.common.Sql;
import io.cozecdc.configs.ConfigRegistry;
import io.cozecdc.configs.ConfigLifecycle;
import io.cozecdc.configs.SyncConfig;
import io.cozecdc.configs.SyncConfigRepository;
import io.cozecdc.failures.FailureRepository;
import io.cozecdc.failures.FailureStatus;
import io.cozecdc.fanout.DependencyIndex;
import io.cozecdc.fanout.FanoutRepository;
import io.cozecdc.sync.documents.LedgerRepository;
import io.cozecdc.sync.documents.LedgerState;
import io.cozecdc.sync.documents.SyncedDocumentRepository;

/**
 * Sync configurations: create, change, enable, disable, delete, backfill. Every change is visible
 * to this replica's pipeline at once and to the others within {@code cdc.configs.refresh-interval}.
 */
@ApplicationScoped
public class SyncConfigService {

    private final Pool pool;
    private final SyncConfigRepository configs;
    private final SyncConfigValidator validator;
    private final TriggerService triggers;
    private final TableDescriber describer;
    private final ConfigRegistry registry;
    private final SyncedDocumentRepository synced;
    private final LedgerRepository ledger;
    private final FailureRepository failures;
    private final BackfillRepository backfills;
    private final ConfigLifecycle lifecycle;
    private final Clock clock;
    private final FanoutRepository fanouts;
    private final DependencyIndex dependencies;

    public SyncConfigService(Pool pool, SyncConfigRepository configs, SyncConfigValidator validator, TriggerService triggers,
            TableDescriber describer, ConfigRegistry registry, SyncedDocumentRepository synced, LedgerRepository ledger,
            FailureRepository failures, BackfillRepository backfills, ConfigLifecycle lifecycle, Clock clock,
            FanoutRepository fanouts, DependencyIndex dependencies) {
        this.lifecycle = lifecycle;
        this.fanouts = fanouts;
        this.dependencies = dependencies;
        this.pool = pool;
        this.configs = configs;
        this.validator = validator;
        this.triggers = triggers;
        this.describer = describer;
        this.registry = registry;
        this.synced = synced;
        this.ledger = ledger;
        this.failures = failures;
        this.backfills = backfills;
        this.clock = clock;
    }

    public Uni<List<SyncConfigView>> list() {
        return configs.findAll().chain(all -> Uni.combine().all()
                .unis(ledger.countInState(LedgerState.PROCESSING), ledger.countInState(LedgerState.OBSOLETE),
                        failures.counts(), failures.processingFailureCounts(), backfills.findAll(), fanouts.progress())
                .asTuple()
                .chain(t -> {
                    Map<Long, BackfillJob> jobs = t.getItem5().stream()
                            .collect(java.util.stream.Collectors.toMap(BackfillJob::configId, j -> j));
                    List<Uni<SyncConfigView>> views = all.stream().map(c -> synced.countLive(pool, c.id())
                            .map(live -> SyncConfigView.of(c, stats(c.id(), live, t.getItem1(), t.getItem2(), t.getItem3(),
                                    t.getItem4()), BackfillView.of(jobs.get(c.id())), FanoutView.of(t.getItem6().get(c.id()))))).toList();
                    return views.isEmpty() ? Uni.createFrom().item(List.<SyncConfigView>of()) : Uni.join().all(views).andFailFast();
                }));
    }

    public Uni<SyncConfigView> get(long id) {
        return find(id).chain(this::view);
    }

    public Uni<SyncConfigView> create(SyncConfigRequest request) {
        return validator.validate(request)
                .call(valid -> configs.findByName(valid.name()).invoke(existing -> {
                    if (existing != null) {
                        throw ApiException.conflict("a sync configuration named '" + valid.name() + "' already exists (id "
                                + existing.id() + ")");
                    }
                }))
                .call(valid -> valid.enabled() ? ensureTriggers(draft(valid).tables()) : Uni.createFrom().voidItem())
                .chain(valid -> {
                    SyncConfig config = lifecycle.created(draft(valid));
                    return configs.insert(pool, config).onFailure(SyncConfigService::isDuplicate)
                            .transform(e -> ApiException.conflict("a sync configuration named '" + valid.name() + "' already exists"))
                            .invoke(c -> Log.infof("Sync configuration '%s' created: table %s -> dataset %d, fields %s%s", c.name(),
                                    c.tableName(), c.datasetId(), c.fields().isEmpty() ? "all" : c.fields(),
                                    c.hasRelations() ? ", related " + RelationRequest.of(c.related()).stream().map(RelationRequest::name).toList() : ""))
                            .invoke(c -> warn(c.name(), valid.warnings()))
                            .call(c -> registry.refresh())
                            .chain(this::view)
                            .map(view -> view.withWarnings(valid.warnings()));
                });
    }

    /** Replaces the editable parts; the table and the dataset are fixed once created. */
    public Uni<SyncConfigView> update(long id, SyncConfigRequest request) {
        return find(id).chain(current -> validator.validate(request).chain(valid -> {
            List<io.cozecdc.api.FieldError> fixed = new java.util.ArrayList<>();
            if (!valid.tableName().equals(current.tableName())) {
                fixed.add(new io.cozecdc.api.FieldError("tableName", "cannot be changed (it is " + current.tableName()
                        + "); create a new configuration instead"));
            }
            if (valid.datasetId() != current.datasetId()) {
                fixed.add(new io.cozecdc.api.FieldError("datasetId", "cannot be changed (it is " + current.datasetId()
                        + "); create a new configuration instead"));
            }
            if (!fixed.isEmpty()) {
                return Uni.createFrom().failure(ApiException.invalid(fixed));
            }
            SyncConfig edit = new SyncConfig(id, valid.name(), current.tableName(), current.datasetId(), valid.fields(),
                    valid.template(), valid.enabled(), null, null, null, null, valid.related());
            boolean enabling = ConfigLifecycle.enables(current, edit);
            SyncConfig updated = lifecycle.edited(current, edit);
            boolean rerender = valid.enabled() && rendersDifferently(current, updated);
            return (valid.enabled() ? ensureTriggers(updated.tables()) : Uni.createFrom().voidItem())
                    .chain(() -> configs.update(pool, updated))
                    .onFailure(SyncConfigService::isDuplicate)
                    .transform(e -> ApiException.conflict("a sync configuration named '" + valid.name() + "' already exists"))
                    .call(ok -> enabling ? failures.makeDueNow(id, clock.instant()) : Uni.createFrom().voidItem())
                    .invoke(ok -> warn(valid.name(), valid.warnings()))
                    .call(ok -> registry.refresh())
                    .chain(ok -> rerender ? rerender(updated) : Uni.createFrom().item(0L))
                    .chain(rows -> get(id).map(view -> view.withWarnings(valid.warnings()).withRowsToCheck(rows)));
        }));
    }

    /** True when a row may render to another text under {@code updated} than under {@code current}. */
    static boolean rendersDifferently(SyncConfig current, SyncConfig updated) {
        return !current.fields().equals(updated.fields()) || !java.util.Objects.equals(current.template(), updated.template())
                || !current.related().equals(updated.related());
    }

    /**
     * Re-renders every row of a configuration whose rendering changed, through a backfill (a running one
     * starts over): each row's new text is compared with its document's hash and only the rows whose
     * text changed are uploaded again. Returns how many rows the backfill will check.
     */
    private Uni<Long> rerender(SyncConfig config) {
        return describer.describe(config.tableName())
                .chain(backfills::countRows)
                .call(total -> backfills.start(config.id(), total, clock.instant()))
                .invoke(total -> Log.infof("Sync configuration '%s' renders differently now: %d rows will be checked and those "
                        + "whose text changed uploaded again", config.name(), total));
    }

    private static void warn(String name, List<String> warnings) {
        warnings.forEach(w -> Log.warnf("Sync configuration '%s': %s", name, w));
    }

    /** The configuration's table and every related table, at every level, in order. */
    /** A configuration to be created, as validated; its status is {@link ConfigLifecycle#created}'s to decide. */
    private static SyncConfig draft(SyncConfigValidator.Valid valid) {
        return new SyncConfig(0, valid.name(), valid.tableName(), valid.datasetId(), valid.fields(), valid.template(),
                valid.enabled(), null, null, null, null, valid.related());
    }

    /** Starts syncing (again): installs missing triggers, clears ERROR, makes held changes due. */
    public Uni<SyncConfigView> enable(long id) {
        return find(id)
                .call(c -> ensureTriggers(c.tables()))
                .call(c -> configs.update(pool, lifecycle.enabled(c)))
                .call(c -> failures.makeDueNow(id, clock.instant()))
                .invoke(c -> Log.infof("Sync configuration '%s' enabled", c.name()))
                .call(c -> registry.refresh())
                .chain(c -> get(id));
    }

    /** Stops syncing at once; changes meanwhile are not queued (resync to catch up later). */
    public Uni<SyncConfigView> disable(long id) {
        return find(id)
                .call(c -> configs.update(pool, lifecycle.disabled(c)))
                .invoke(c -> Log.infof("Sync configuration '%s' disabled", c.name()))
                .call(c -> registry.refresh())
                .chain(c -> get(id));
    }

    /**
     * Deletes a configuration and its state. Its documents are deleted from Coze (in the background,
     * through the rate-limited client) unless {@code keepDocuments}. Returns how many documents will
     * be deleted.
     */
    public Uni<Integer> delete(long id, boolean keepDocuments) {
        return find(id).chain(c -> Sql.transaction(pool, conn -> {
            Instant now = clock.instant();
            // first: waits for the commits of the config's work in flight, and makes later ones see it gone
            Uni<Integer> documents = configs.lockForDelete(conn, id).chain(() -> keepDocuments
                    ? ledger.forgetConfig(conn, id).replaceWith(0)
                    : ledger.markConfigObsolete(conn, id, "sync configuration deleted", now));
            return documents
                    .call(n -> synced.deleteConfig(conn, id))
                    .call(n -> failures.deleteConfig(conn, id))
                    .call(n -> backfills.delete(conn, id))
                    .call(n -> fanouts.deleteConfig(conn, id))
                    .call(n -> dependencies.deleteConfig(conn, id))
                    .call(n -> configs.delete(conn, id));
        }).invoke(n -> Log.infof("Sync configuration '%s' deleted; %s", c.name(),
                keepDocuments ? "its documents stay in Coze" : n + " documents will be deleted from Coze"))
                .call(n -> registry.refresh()));
    }

    /** Starts a backfill: every current row of the table goes through the pipeline for this config. */
    public Uni<SyncConfigView> resync(long id) {
        return find(id).chain(c -> {
            if (!c.enabled()) {
                return Uni.createFrom().failure(ApiException.conflict("sync configuration '" + c.name()
                        + "' is disabled; enable it first"));
            }
            return describer.describe(c.tableName())
                    .chain(backfills::countRows)
                    .chain(total -> backfills.start(id, total, clock.instant()))
                    .invoke(() -> Log.infof("Backfill of sync configuration '%s' started", c.name()))
                    .chain(() -> get(id));
        });
    }

    /** Cancels a running backfill; 404 when none is running. */
    public Uni<SyncConfigView> cancelResync(long id) {
        return find(id).chain(c -> backfills.finish(id, BackfillState.CANCELLED, "cancelled through the API", clock.instant())
                .chain(cancelled -> cancelled ? get(id)
                        : Uni.createFrom().failure(ApiException.notFound("sync configuration " + id + " has no running backfill"))));
    }

    Uni<SyncConfig> find(long id) {
        return configs.findById(id).onItem().ifNull().failWith(() -> ApiException.notFound("no sync configuration with id " + id));
    }

    private Uni<SyncConfigView> view(SyncConfig c) {
        return Uni.combine().all()
                .unis(synced.countLive(pool, c.id()), ledger.countInState(LedgerState.PROCESSING),
                        ledger.countInState(LedgerState.OBSOLETE), failures.counts(), failures.processingFailureCounts(),
                        backfills.find(c.id()), fanouts.progress())
                .asTuple()
                .map(t -> SyncConfigView.of(c, stats(c.id(), t.getItem1(), t.getItem2(), t.getItem3(), t.getItem4(),
                        t.getItem5()), BackfillView.of(t.getItem6()), FanoutView.of(t.getItem7().get(c.id()))));
    }

    private static ConfigStats stats(long id, long live, Map<Long, Long> processing, Map<Long, Long> obsolete,
            Map<Long, Map<FailureStatus, Long>> failureCounts, Map<Long, Long> processingFailed) {
        Map<FailureStatus, Long> f = failureCounts.getOrDefault(id, Map.of());
        return new ConfigStats(live, processing.getOrDefault(id, 0L), obsolete.getOrDefault(id, 0L),
                f.getOrDefault(FailureStatus.RETRYING, 0L), processingFailed.getOrDefault(id, 0L),
                f.getOrDefault(FailureStatus.DEAD, 0L));
    }

    /** Installs the capture triggers of each table that does not have them yet, one table after the other. */
    private Uni<Void> ensureTriggers(java.util.Collection<String> tables) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (String table : tables) {
            chain = chain.chain(() -> triggers.status(table).chain(status -> status != null && status.state() == TriggerState.INSTALLED
                    ? Uni.createFrom().voidItem()
                    : triggers.install(table).replaceWithVoid()));
        }
        return chain;
    }

    static boolean isDuplicate(Throwable e) {
        return e instanceof io.vertx.mysqlclient.MySQLException m && m.getErrorCode() == 1062;
    }
}
