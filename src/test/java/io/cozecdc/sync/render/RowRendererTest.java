package io.cozecdc.sync.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.cozecdc.changelog.Change;
import io.cozecdc.changelog.ChangeData;
import io.cozecdc.changelog.Operation;
import io.cozecdc.configs.ConfigStatus;
import io.cozecdc.configs.Relation;
import io.cozecdc.configs.SyncConfig;

/** Field filters, value formatting, templates and hashes. */
class RowRendererTest {

    final RowRenderer renderer = new RowRenderer(new TemplateEngine().engine());
    final Change row = new Change(5, "products", "p1", Operation.UPDATE, ChangeData.parse(
            "{\"id\":\"p1\",\"name\":\"扳手 Wrench\",\"unit_price\":10.00,\"cost_price\":6.125000,"
                    + "\"big\":123456789012345678.123456,\"qty\":3,\"description\":null,\"meta\":{\"a\":[1,2]}}"),
            Instant.EPOCH, null);

    @Test
    void keepsOnlyTheConfiguredFieldsInTheirOrder() {
        RenderedDocument doc = renderer.render(config(List.of("name", "id", "unit_price"), null), row);
        assertThat(doc.text()).isEqualTo("name: 扳手 Wrench\nid: p1\nunit_price: 10.00\n");
        assertThat(doc.missingFields()).isEmpty();
    }

    @Test
    void noFieldsMeansEveryColumnInTheRowsOrderWithExactDecimals() {
        RenderedDocument doc = renderer.render(config(List.of(), null), row);
        assertThat(doc.text()).isEqualTo("id: p1\nname: 扳手 Wrench\nunit_price: 10.00\ncost_price: 6.125000\n"
                + "big: 123456789012345678.123456\nqty: 3\ndescription: \nmeta: {\"a\":[1,2]}\n");
    }

    @Test
    void aFieldTheRowDoesNotHaveIsReportedNotFatal() {
        RenderedDocument doc = renderer.render(config(List.of("id", "colour"), null), row);
        assertThat(doc.text()).isEqualTo("id: p1\n");
        assertThat(doc.missingFields()).containsExactly("colour");
    }

    @Test
    void aTemplateSeesTheKeptFieldsAndTheRecordsIdentity() {
        RenderedDocument doc = renderer.render(config(List.of("name", "unit_price"),
                "{cdc.table} {cdc.key}: {name} costs {unit_price} yuan"), row);
        assertThat(doc.text()).isEqualTo("products p1: 扳手 Wrench costs 10.00 yuan");
    }

    @Test
    void aTemplateUsingAFilteredOutFieldFailsAsARenderError() {
        assertThatThrownBy(() -> renderer.render(config(List.of("name"), "{name} {cost_price}"), row))
                .isInstanceOf(RenderException.class).hasMessageContaining("template of config 'c'");
    }

    @Test
    void equalTextGivesEqualHashesAndAnyChangeADifferentOne() {
        String a = renderer.render(config(List.of("id", "name"), null), row).hash();
        String b = renderer.render(config(List.of("id", "name"), null), row).hash();
        String c = renderer.render(config(List.of("id", "qty"), null), row).hash();
        assertThat(a).hasSize(64).isEqualTo(b).isNotEqualTo(c);
    }

    @Test
    void estimatesTokensCountingChineseCharactersOneEach() {
        assertThat(RowRenderer.estimateTokens("扳手扳手")).isEqualTo(4);
        assertThat(RowRenderer.estimateTokens("abcdefgh")).isEqualTo(2);
    }

    @Test
    void aTreeRendersItsRelationsAfterTheRowsOwnLinesAndNeverAsColumns() {
        Change tree = new Change(6, "products", "p1", Operation.UPDATE, ChangeData.parse(
                "{\"id\":\"p1\",\"name\":\"扳手\",\"supplier\":{\"id\":\"s1\",\"name\":\"华东五金\",\"city\":\"上海\"},"
                        + "\"movements\":[{\"warehouse\":\"A\",\"quantity\":2},{\"warehouse\":\"B\",\"quantity\":1}]}"),
                Instant.EPOCH, null);
        Relation supplier = new Relation("supplier", "suppliers", Map.of("supplier_id", "id"), List.of("name", "city", "phone"), null, null, null);
        Relation movements = new Relation("movements", "inventory_records", Map.of("id", "product_id"), List.of(), "quantity DESC", 5, null);
        SyncConfig config = new SyncConfig(1, "c", "products", 7, List.of(), null, true, ConfigStatus.ACTIVE, null, Instant.EPOCH,
                Instant.EPOCH, List.of(supplier, movements));
        RenderedDocument doc = renderer.render(config, tree);
        assertThat(doc.text()).isEqualTo("id: p1\nname: 扳手\nsupplier.name: 华东五金\nsupplier.city: 上海\n"
                + "movements:\n- warehouse: A\n  quantity: 2\n- warehouse: B\n  quantity: 1\n");
        assertThat(doc.missingFields()).containsExactly("supplier.phone");
    }

    @Test
    void theTemplateCheckKnowsRelationsAndTheirFields() {
        var supplier = new RowRenderer.TemplateRelation(false, List.of("name", "city"), Map.of());
        var product = new RowRenderer.TemplateRelation(false, List.of("name"), Map.of("supplier", supplier));
        var movements = new RowRenderer.TemplateRelation(true, List.of("warehouse"), Map.of());
        Map<String, RowRenderer.TemplateRelation> relations = Map.of("product", product, "movements", movements);
        assertThat(renderer.unknownNames("{product.name} {product.supplier.city} {#for m in movements}{m.warehouse}{/for}"
                + " {movements.size} {cdc.capturedAt}", List.of("warehouse"), relations)).isEmpty();
        assertThat(renderer.unknownNames("{product.colour} {product.supplier.phone} {supplier.name}", List.of("warehouse"), relations))
                .containsExactly("{product.colour} (line 1)", "{product.supplier.phone} (line 1)", "{supplier.name} (line 1)");
    }

    @Test
    void aToOneWithoutARowIsNullToTemplates() {
        Change tree = new Change(6, "products", "p1", Operation.UPDATE, ChangeData.parse("{\"id\":\"p1\",\"name\":\"扳手\",\"supplier\":null}"),
                Instant.EPOCH, null);
        Relation supplier = new Relation("supplier", "suppliers", Map.of("supplier_id", "id"), List.of("name"), null, null, null);
        SyncConfig guarded = new SyncConfig(1, "c", "products", 7, List.of("name"), "{name}{#if supplier}，{supplier.name}{/if}", true,
                ConfigStatus.ACTIVE, null, Instant.EPOCH, Instant.EPOCH, List.of(supplier));
        assertThat(renderer.render(guarded, tree).text()).isEqualTo("扳手");
        SyncConfig unguarded = new SyncConfig(1, "c", "products", 7, List.of("name"), "{name}，{supplier.name}", true,
                ConfigStatus.ACTIVE, null, Instant.EPOCH, Instant.EPOCH, List.of(supplier));
        assertThatThrownBy(() -> renderer.render(unguarded, tree)).isInstanceOf(RenderException.class);
    }

    @Test
    void capturedAtIsTheCaptureMinuteInTheConfiguredZone() {
        RowRenderer shanghai = new RowRenderer(new TemplateEngine().engine(), () -> "Asia/Shanghai");
        Change change = new Change(5, "products", "p1", Operation.UPDATE, row.data(), Instant.parse("2026-12-05T02:03:59Z"), null);
        assertThat(shanghai.render(config(List.of("name"), "库存截至 {cdc.capturedAt}"), change).text()).isEqualTo("库存截至 2026-12-05 10:03");
        assertThat(renderer.render(config(List.of("name"), "{cdc.capturedAt}"), change).text()).isEqualTo("2026-12-05 02:03");
    }

    static SyncConfig config(List<String> fields, String template) {
        return new SyncConfig(1, "c", "products", 7, fields, template, true, ConfigStatus.ACTIVE, null, Instant.EPOCH, Instant.EPOCH);
    }
}
