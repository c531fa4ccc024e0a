package io.cozecdc.capture;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

import io.cozecdc.capture.TriggerSqlGenerator.Operation;

/**
 * Installs, re-installs and removes capture triggers, renders them for a DBA, and tells whether the
 * installed ones still match their tables.
 */
@ApplicationScoped
public class TriggerService {

    private final TableDescriber describer;
    private final TriggerSqlGenerator generator;
    private final SchemaRepository schema;
    private final CaptureTableRepository captured;
    private final DatabasePreflight preflight;
    private final Clock clock;

    public TriggerService(TableDescriber describer, TriggerSqlGenerator generator, SchemaRepository schema,
            CaptureTableRepository captured, DatabasePreflight preflight, Clock clock) {
        this.describer = describer;
        this.generator = generator;
        this.schema = schema;
        this.captured = captured;
        this.preflight = preflight;
        this.clock = clock;
    }

    /**
     * Creates (or re-creates, picking up schema changes) the three triggers of a table and records it
     * in capture_tables. The table is write-locked while its triggers are swapped. Fails with
     * {@link CaptureRefusedException} (reason and fix) when the database's settings or grants refuse it, and
     * with {@link TableBusyException} when the table stays locked by another transaction for a few seconds.
     */
    public Uni<CapturedTable> install(String table) {
        return preflight.requireCaptureAllowed().chain(() -> describer.describe(table)).chain(desc -> {
            List<String> ddl = new ArrayList<>(generator.dropStatements(desc.table()));
            ddl.addAll(generator.createStatements(desc));
            return schema.runDdl(desc.table(), ddl)
                    .onFailure(SchemaRepository::isLockTimeout).transform(e -> new TableBusyException(desc.table()))
                    .onFailure().transform(preflight::translate)
                    .chain(() -> schema.triggers(desc.table()))
                    .map(stored -> new CapturedTable(desc.table(), desc.key().name(), desc.columnsHash(),
                            InstalledTrigger.hashOf(ours(desc.table(), stored)), clock.instant()))
                    .call(captured::save)
                    .invoke(() -> Log.infof("Installed capture triggers on %s (key %s, %d columns)",
                            desc.table(), desc.key().name(), desc.columns().size()));
        });
    }

    /** Drops a table's triggers and forgets it; true when it was captured or had triggers. */
    public Uni<Boolean> remove(String table) {
        return schema.findTable(table).chain(ref -> {
            String exact = ref == null ? table : ref.name();
            // drops only when our triggers are there, and counts that as a removal even if the table was not recorded
            Uni<Boolean> drop = ref == null ? Uni.createFrom().item(false)
                    : schema.triggers(exact).chain(all -> ours(exact, all).isEmpty() ? Uni.createFrom().item(false)
                            : schema.runDdl(null, generator.dropStatements(exact))
                                    .onFailure().transform(preflight::translate).replaceWith(true));
            return drop.chain(dropped -> captured.delete(exact).map(forgotten -> dropped || forgotten))
                    .invoke(removed -> {
                        if (removed) {
                            Log.infof("Removed capture triggers from %s", exact);
                        }
                    });
        });
    }

    /** The SQL a DBA can run by hand to (re)create the table's triggers. */
    public Uni<String> triggerSql(String table) {
        return describer.describe(table).map(generator::script);
    }

    /** The state of every captured table's triggers. */
    public Uni<List<CaptureStatus>> statuses() {
        return captured.findAll().chain(tables -> {
            if (tables.isEmpty()) {
                return Uni.createFrom().item(List.<CaptureStatus>of());
            }
            List<Uni<CaptureStatus>> each = tables.stream().map(this::status).toList();
            return Uni.join().all(each).andFailFast();
        });
    }

    /** The state of one table's triggers, or null when the table is not captured. */
    public Uni<CaptureStatus> status(String table) {
        return captured.find(table).chain(row -> row == null ? Uni.createFrom().nullItem() : status(row));
    }

    Uni<CaptureStatus> status(CapturedTable row) {
        return schema.triggers(row.table()).chain(triggers -> describer.describe(row.table())
                .map(desc -> compare(row, desc, ours(row.table(), triggers)))
                .onFailure(UnknownTableException.class)
                .recoverWithItem(() -> statusOf(row, TriggerState.MISSING, "the table no longer exists"))
                .onFailure(UnsupportedTableException.class)
                .recoverWithItem(e -> statusOf(row, TriggerState.DRIFTED, e.getMessage())));
    }

    private CaptureStatus compare(CapturedTable row, TableSchema desc, List<InstalledTrigger> installed) {
        Set<String> present = installed.stream().map(InstalledTrigger::name).collect(Collectors.toSet());
        List<String> missing = Stream.of(Operation.values())
                .map(op -> TriggerSqlGenerator.triggerName(row.table(), op))
                .filter(name -> !present.contains(name))
                .toList();
        if (!missing.isEmpty()) {
            return statusOf(row, TriggerState.MISSING, "missing triggers: " + String.join(", ", missing));
        }
        if (!row.columnsHash().equals(desc.columnsHash())) {
            return statusOf(row, TriggerState.DRIFTED,
                    "the table's columns changed since the triggers were installed; re-install them");
        }
        if (!row.triggersHash().equals(InstalledTrigger.hashOf(installed))) {
            return statusOf(row, TriggerState.DRIFTED,
                    "the triggers were changed by hand since the service installed them; re-install them");
        }
        return statusOf(row, TriggerState.INSTALLED, "");
    }

    /** Only the three triggers the service owns; other triggers on the table are not ours to judge. */
    private static List<InstalledTrigger> ours(String table, List<InstalledTrigger> all) {
        Set<String> names = Stream.of(Operation.values()).map(op -> TriggerSqlGenerator.triggerName(table, op))
                .collect(Collectors.toSet());
        return all.stream().filter(t -> names.contains(t.name())).toList();
    }

    private static CaptureStatus statusOf(CapturedTable row, TriggerState state, String detail) {
        return new CaptureStatus(row.table(), row.keyColumn(), row.installedAt(), state, detail);
    }
}
