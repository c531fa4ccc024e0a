package io.cozecdc.sync.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.cozecdc.changelog.Change;
import io.cozecdc.changelog.ChangeData;
import io.cozecdc.changelog.Operation;
import io.cozecdc.configs.ConfigStatus;
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

    static SyncConfig config(List<String> fields, String template) {
        return new SyncConfig(1, "c", "products", 7, fields, template, true, ConfigStatus.ACTIVE, null, Instant.EPOCH, Instant.EPOCH);
    }
}
