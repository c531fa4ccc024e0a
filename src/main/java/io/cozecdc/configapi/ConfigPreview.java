package io.cozecdc.configapi;

import java.time.Clock;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

import io.cozecdc.capture.TableDescriber;
import io.cozecdc.capture.TableSchema;
import io.cozecdc.changelog.Change;
import io.cozecdc.changelog.Operation;
import io.cozecdc.configs.ConfigStatus;
import io.cozecdc.configs.SyncConfig;
import io.cozecdc.sync.TableColumns;
import io.cozecdc.sync.render.ColumnFormat;
import io.cozecdc.sync.render.RenderException;
import io.cozecdc.sync.render.RenderedDocument;
import io.cozecdc.sync.render.RowRenderer;

/**
 * What a configuration would send: validates a request exactly as create does, then renders a few
 * current rows of its table with the pipeline's renderer. Saves nothing and calls no one.
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

    public ConfigPreview(SyncConfigValidator validator, TableDescriber describer, PreviewRows rows, RowRenderer renderer,
            TableColumns columns, Clock clock) {
        this.columns = columns;
        this.validator = validator;
        this.describer = describer;
        this.rows = rows;
        this.renderer = renderer;
        this.clock = clock;
    }

    /** The documents for the first rows in key order, or for the row with {@code recordKey} when given. */
    public Uni<PreviewView> preview(SyncConfigRequest request, String recordKey) {
        return validator.validate(request).chain(valid -> describer.describe(valid.tableName()).chain(schema -> {
            Uni<List<PreviewRows.SampleRow>> sample = recordKey == null ? rows.first(schema, SAMPLE_ROWS)
                    : rows.byKey(schema, recordKey);
            return sample.chain(found -> columns.of(schema.table()).map(formats -> view(valid, schema, found, formats)));
        }));
    }

    private PreviewView view(SyncConfigValidator.Valid valid, TableSchema schema, List<PreviewRows.SampleRow> found,
            List<ColumnFormat> formats) {
        var now = clock.instant();
        SyncConfig config = new SyncConfig(0, valid.name(), valid.tableName(), valid.datasetId(), valid.fields(),
                valid.template(), valid.enabled(), ConfigStatus.ACTIVE, null, now, now);
        List<PreviewView.Document> documents = found.stream().map(row -> {
            Change change = new Change(0, schema.table(), row.recordKey(), Operation.SNAPSHOT, row.data(), now, null);
            try {
                RenderedDocument doc = renderer.renderOnce(config, change, formats);
                return new PreviewView.Document(row.recordKey(), doc.text(), doc.text().length(), doc.estimatedTokens(),
                        doc.missingFields(), null);
            } catch (RenderException e) {
                return new PreviewView.Document(row.recordKey(), null, 0, 0, List.of(), e.getMessage());
            }
        }).toList();
        return new PreviewView(schema.table(), schema.key().name(), documents);
    }
}
