package io.cozecdc.configapi;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

import io.cozecdc.capture.TableDescriber;
import io.cozecdc.capture.TableSchema;
import io.cozecdc.changelog.Change;
import io.cozecdc.changelog.Operation;
import io.cozecdc.configs.ConfigStatus;
import io.cozecdc.configs.SyncConfig;
import io.cozecdc.sync.TableColumns;
import io.cozecdc.sync.related.RelatedLoader;
import io.cozecdc.sync.render.ColumnFormat;
import io.cozecdc.sync.render.RenderException;
import io.cozecdc.sync.render.RenderedDocument;
import io.cozecdc.sync.render.RowRenderer;

/**
 * What a configuration would send: validates a request exactly as create does, then renders a few
 * current rows of its table (with their related rows) with the pipeline's renderer. Saves nothing and
 * calls no one. {@code cdc.capturedAt} shows the time of the preview.
 */
@ApplicationScoped
public class ConfigPreview {

    /** Rows rendered when no record key is given. */
    static final int SAMPLE_ROWS = 3;

    private final SyncConfigValidator validator;
    private final TableDescriber describer;
    private final PreviewRows rows;
    private final RowRenderer renderer;
    private final TableColumns columns;
    private final Clock clock;

    private final RelatedLoader loader;
    private final Pool pool;

    public ConfigPreview(SyncConfigValidator validator, TableDescriber describer, PreviewRows rows, RowRenderer renderer,
            TableColumns columns, RelatedLoader loader, Pool pool, Clock clock) {
        this.columns = columns;
        this.loader = loader;
        this.pool = pool;
        this.validator = validator;
        this.describer = describer;
        this.rows = rows;
        this.renderer = renderer;
        this.clock = clock;
    }

    /**
     * The documents for the first rows in key order, or for the row with {@code recordKey} when given. With
     * related tables, each row's tree is read as the pipeline reads it ({@link RelatedLoader}, without locks).
     */
    public Uni<PreviewView> preview(SyncConfigRequest request, String recordKey) {
        return validator.validate(request).chain(valid -> describer.describe(valid.tableName()).chain(schema -> {
            var now = clock.instant();
            SyncConfig config = new SyncConfig(0, valid.name(), valid.tableName(), valid.datasetId(), valid.fields(),
                    valid.template(), valid.enabled(), ConfigStatus.ACTIVE, null, now, now, valid.related());
            Uni<List<PreviewRows.SampleRow>> sample = recordKey == null ? rows.first(schema, SAMPLE_ROWS)
                    : rows.byKey(schema, recordKey);
            return sample.chain(found -> trees(config, found))
                    .chain(found -> Uni.combine().all().unis(columns.of(schema.table()), columns.of(config.tables()))
                            .asTuple()
                            .map(t -> view(config, schema, found, t.getItem1(), t.getItem2())));
        }));
    }

    /** The rows as trees of the configuration's relations; a row deleted meanwhile is left out. */
    private Uni<List<PreviewRows.SampleRow>> trees(SyncConfig config, List<PreviewRows.SampleRow> found) {
        if (!config.hasRelations() || found.isEmpty()) {
            return Uni.createFrom().item(found);
        }
        List<String> keys = found.stream().map(PreviewRows.SampleRow::recordKey).toList();
        return loader.load(pool, config, keys, false).map(loaded -> keys.stream()
                .filter(loaded.trees()::containsKey)
                .map(k -> new PreviewRows.SampleRow(k, loaded.trees().get(k)))
                .toList());
    }

    private PreviewView view(SyncConfig config, TableSchema schema, List<PreviewRows.SampleRow> found, List<ColumnFormat> formats,
            Map<String, List<ColumnFormat>> related) {
        List<PreviewView.Document> documents = found.stream().map(row -> {
            Change change = new Change(0, schema.table(), row.recordKey(), Operation.SNAPSHOT, row.data(), config.createdAt(), null);
            try {
                RenderedDocument doc = renderer.renderOnce(config, change, formats, related);
                return new PreviewView.Document(row.recordKey(), doc.text(), doc.text().length(), doc.estimatedTokens(),
                        doc.missingFields(), null);
            } catch (RenderException e) {
                return new PreviewView.Document(row.recordKey(), null, 0, 0, List.of(), e.getMessage());
            }
        }).toList();
        return new PreviewView(schema.table(), schema.key().name(), documents);
    }
}
