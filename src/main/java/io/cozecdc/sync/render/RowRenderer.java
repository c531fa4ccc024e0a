package io.cozecdc.sync.render;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.qute.Engine;
import io.quarkus.qute.Expression;
import io.quarkus.qute.Template;

import io.cozecdc.changelog.Change;
import io.cozecdc.configs.Relation;
import io.cozecdc.configs.SyncConfig;

/**
 * Renders a row as document text: the configured fields (all columns when none are configured), as
 * {@code field: value} lines in a stable order, or through the config's Qute template. The template
 * sees the kept fields by name and {@code cdc.table}, {@code cdc.key}, {@code cdc.operation},
 * {@code cdc.config} and {@code cdc.capturedAt} (when the row was captured, {@code 2026-12-05 10:03} in
 * {@code cdc.render.time-zone}).
 *
 * <p>A configuration with related tables renders a row tree (see {@code sync.related.RelatedLoader}): the
 * row's own columns plus one member per relation. The default text adds, after the row's own lines, a
 * to-one relation's fields as {@code supplier.name: …} lines (nothing when no row joins) and a to-many
 * relation as one block per row, in order:
 * <pre>
 * movements:
 * - warehouse: 上海一号仓
 *   quantity: 5
 * - warehouse: 北京仓
 *   quantity: 2
 * </pre>
 * A template sees a to-one relation as a map of its fields by the relation's name ({@code {supplier.name}},
 * null when no row joins) and a to-many relation as a list of such maps ({@code {#for m in movements}…{/for}}).
 */
@ApplicationScoped
public class RowRenderer {

    /** How {@code cdc.capturedAt} is written. */
    static final DateTimeFormatter CAPTURED_AT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final Engine engine;
    private final ZoneId zone;
    private final Map<String, Template> templates = new ConcurrentHashMap<>();

    @Inject
    public RowRenderer(Engine engine, RenderSettings settings) {
        this.engine = engine;
        this.zone = ZoneId.of(settings.timeZone());
    }

    /** A renderer writing {@code cdc.capturedAt} in UTC. */
    public RowRenderer(Engine engine) {
        this.engine = engine;
        this.zone = ZoneOffset.UTC;
    }

    /** Renders one change for one config, in JSON key order and JSON forms. Throws {@link RenderException} when the template fails. */
    public RenderedDocument render(SyncConfig config, Change change) {
        return render(config, change, List.of());
    }

    /**
     * Renders one change for one config. With the table's {@code columns} (table order, with types), lines
     * follow the table's order when no fields are configured, and each value is formatted from its column's
     * type, so the text is the same whichever server (and JSON form) the change came from.
     * Throws {@link RenderException} when the template fails.
     */
    public RenderedDocument render(SyncConfig config, Change change, List<ColumnFormat> columns) {
        return render(config, change, columns, Map.of(), true);
    }

    /**
     * Renders a row tree (the change's data holds the related rows under the relations' names) with the
     * columns of the configuration's table and of each related table ({@code relatedColumns}, by table
     * name; a table missing there renders in JSON order and forms).
     */
    public RenderedDocument render(SyncConfig config, Change change, List<ColumnFormat> columns,
            Map<String, List<ColumnFormat>> relatedColumns) {
        return render(config, change, columns, relatedColumns, true);
    }

    /**
     * Renders like {@link #render(SyncConfig, Change, List)} but compiles the template afresh and does
     * not keep it: for previews of templates that are still being written, which must not fill the cache.
     */
    public RenderedDocument renderOnce(SyncConfig config, Change change, List<ColumnFormat> columns) {
        return render(config, change, columns, Map.of(), false);
    }

    /** {@link #render(SyncConfig, Change, List, Map)} without keeping the compiled template (previews). */
    public RenderedDocument renderOnce(SyncConfig config, Change change, List<ColumnFormat> columns,
            Map<String, List<ColumnFormat>> relatedColumns) {
        return render(config, change, columns, relatedColumns, false);
    }

    private RenderedDocument render(SyncConfig config, Change change, List<ColumnFormat> columns,
            Map<String, List<ColumnFormat>> relatedColumns, boolean cache) {
        ObjectNode data = change.data();
        List<String> missing = new ArrayList<>();
        Map<String, String> kept = keep(data, config.fields(), columns, names(config.related()), "", missing);
        String text;
        if (config.template() == null || config.template().isBlank()) {
            StringBuilder sb = new StringBuilder(lines(kept));
            relationLines(sb, config.related(), data, relatedColumns, "", "", missing);
            text = sb.toString();
        } else {
            Map<String, Object> values = new LinkedHashMap<>(kept);
            values.putAll(relationValues(config.related(), data, relatedColumns, "", missing));
            text = applyTemplate(config, change, values, cache);
        }
        return new RenderedDocument(text, sha256(text), List.copyOf(missing), estimateTokens(text));
    }

    /**
     * The fields of one row as text by name: the configured ones in their order (each one the row lacks
     * goes to {@code missing}, after {@code prefix}), or every column in table order, then any key the
     * table no longer has in the row's order, never a relation's member.
     */
    private static Map<String, String> keep(ObjectNode data, List<String> fields, List<ColumnFormat> columns,
            Set<String> relations, String prefix, List<String> missing) {
        Map<String, ColumnFormat> formats = new LinkedHashMap<>();
        columns.forEach(c -> formats.put(c.name(), c));
        Map<String, String> kept = new LinkedHashMap<>();
        if (fields.isEmpty()) {
            if (data != null) {
                formats.values().forEach(c -> {
                    if (data.has(c.name()) && !relations.contains(c.name())) {
                        kept.put(c.name(), c.text(data.get(c.name())));
                    }
                });
                data.fields().forEachRemaining(e -> {
                    if (!relations.contains(e.getKey())) {
                        kept.putIfAbsent(e.getKey(), text(formats, e.getKey(), e.getValue()));
                    }
                });
            }
        } else {
            for (String field : fields) {
                JsonNode value = data == null ? null : data.get(field);
                if (value == null) {
                    if (!missing.contains(prefix + field)) {
                        missing.add(prefix + field);
                    }
                } else {
                    kept.put(field, text(formats, field, value));
                }
            }
        }
        return kept;
    }

    /** The default text of a row's relations: to-one as prefixed lines, to-many as one block per row. */
    private static void relationLines(StringBuilder sb, List<Relation> relations, ObjectNode row,
            Map<String, List<ColumnFormat>> formats, String prefix, String indent, List<String> missing) {
        for (Relation relation : relations) {
            JsonNode value = row == null ? null : row.get(relation.name());
            List<ColumnFormat> columns = formats.getOrDefault(relation.table(), List.of());
            if (relation.toMany()) {
                if (value == null || !value.isArray() || value.isEmpty()) {
                    continue;
                }
                sb.append(indent).append(prefix).append(relation.name()).append(":\n");
                for (JsonNode element : value) {
                    ObjectNode item = element instanceof ObjectNode o ? o : null;
                    StringBuilder block = new StringBuilder(lines(keep(item, relation.fields(), columns,
                            names(relation.related()), prefix + relation.name() + ".", missing)));
                    relationLines(block, relation.related(), item, formats, "", "", missing);
                    String[] blockLines = block.toString().split("\n");
                    for (int i = 0; i < blockLines.length; i++) {
                        if (blockLines[i].isEmpty() && blockLines.length == 1) {
                            continue;
                        }
                        sb.append(indent).append(i == 0 ? "- " : "  ").append(blockLines[i]).append('\n');
                    }
                }
            } else if (value instanceof ObjectNode item) {
                String name = prefix + relation.name() + ".";
                keep(item, relation.fields(), columns, names(relation.related()), name, missing)
                        .forEach((field, text) -> sb.append(indent).append(name).append(field).append(": ").append(text).append('\n'));
                relationLines(sb, relation.related(), item, formats, name, indent, missing);
            }
        }
    }

    /** What a template sees of a row's relations: a map (or null) per to-one, a list of maps per to-many. */
    private static Map<String, Object> relationValues(List<Relation> relations, ObjectNode row,
            Map<String, List<ColumnFormat>> formats, String prefix, List<String> missing) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Relation relation : relations) {
            JsonNode value = row == null ? null : row.get(relation.name());
            if (relation.toMany()) {
                List<Map<String, Object>> list = new ArrayList<>();
                if (value != null && value.isArray()) {
                    for (JsonNode element : value) {
                        if (element instanceof ObjectNode item) {
                            list.add(relationRow(relation, item, formats, prefix, missing));
                        }
                    }
                }
                values.put(relation.name(), list);
            } else {
                values.put(relation.name(), value instanceof ObjectNode item ? relationRow(relation, item, formats, prefix, missing) : null);
            }
        }
        return values;
    }

    private static Map<String, Object> relationRow(Relation relation, ObjectNode item, Map<String, List<ColumnFormat>> formats,
            String prefix, List<String> missing) {
        String name = prefix + relation.name() + ".";
        Map<String, Object> fields = new LinkedHashMap<>(keep(item, relation.fields(),
                formats.getOrDefault(relation.table(), List.of()), names(relation.related()), name, missing));
        fields.putAll(relationValues(relation.related(), item, formats, name, missing));
        return fields;
    }

    private static Set<String> names(List<Relation> relations) {
        Set<String> names = new HashSet<>();
        relations.forEach(r -> names.add(r.name()));
        return names;
    }

    private static String text(Map<String, ColumnFormat> formats, String name, JsonNode value) {
        ColumnFormat format = formats.get(name);
        return format == null ? text(value) : format.text(value);
    }

    /** Compiles a template, failing with the parser's message; used to validate configs. */
    public void compile(String template) {
        engine.parse(template);
    }

    /** What a template may name under {@code cdc.}. */
    public static final List<String> CDC_NAMES = List.of("table", "key", "operation", "config", "capturedAt");
    private static final Pattern FOR_ALIAS = Pattern.compile("\\{#for\\s+([\\w$]+)\\s+in\\s");
    private static final Pattern LET = Pattern.compile("\\{#(?:let|set)\\s([^}]*)}");
    private static final Pattern LET_NAME = Pattern.compile("([\\w$]+)\\s*=");

    /**
     * The names a template uses that it will not be given, each as written with its line: an
     * expression whose first part is neither one of {@code fields} nor {@code cdc} (nor a loop or
     * let variable), or {@code cdc.x} for an x it does not have. With strict rendering each would fail
     * every row. Templates using {#with}, {#include} or {#insert} are not checked (their names
     * cannot be told apart here). Throws when the template does not compile.
     */
    public List<String> unknownNames(String template, Collection<String> fields) {
        return unknownNames(template, fields, Map.of());
    }

    /**
     * Like {@link #unknownNames(String, Collection)} for a configuration with related tables: a relation's
     * name is known, and after a to-one relation's name only its fields and nested relations are
     * ({@code {supplier.name}}, {@code {product.supplier.city}}); a to-many relation's rows are reached
     * through a loop alias, which is not checked further.
     */
    public List<String> unknownNames(String template, Collection<String> fields, Map<String, TemplateRelation> relations) {
        Template parsed = engine.parse(template);
        if (template.contains("{#with") || template.contains("{#include") || template.contains("{#insert")) {
            return List.of();
        }
        Set<String> locals = new HashSet<>(Set.of("it"));
        Matcher alias = FOR_ALIAS.matcher(template);
        while (alias.find()) {
            locals.add(alias.group(1));
        }
        Matcher let = LET.matcher(template);
        while (let.find()) {
            Matcher name = LET_NAME.matcher(let.group(1));
            while (name.find()) {
                locals.add(name.group(1));
            }
        }
        List<String> unknown = new ArrayList<>();
        for (Expression e : parsed.getExpressions()) {
            if (e.isLiteral() || e.hasNamespace() || e.getParts().isEmpty()) {
                continue;
            }
            String root = e.getParts().get(0).getName();
            boolean known = fields.contains(root) || locals.contains(root)
                    || relations.containsKey(root) && knownPath(e.getParts(), 1, relations.get(root))
                    || locals.stream().anyMatch(l -> !l.equals("it") && root.startsWith(l + "_")) || root.startsWith("it_")
                    || root.equals("cdc") && (e.getParts().size() < 2 || CDC_NAMES.contains(e.getParts().get(1).getName()));
            if (!known) {
                String shown = "{" + e.toOriginalString() + "}";
                String where = shown + " (line " + e.getOrigin().getLine() + ")";
                if (!unknown.contains(where)) {
                    unknown.add(where);
                }
            }
        }
        return unknown;
    }

    private static boolean knownPath(List<Expression.Part> parts, int index, TemplateRelation relation) {
        if (relation.toMany() || parts.size() <= index) {
            return true;
        }
        String name = parts.get(index).getName();
        if (relation.fields().contains(name)) {
            return true;
        }
        TemplateRelation nested = relation.related().get(name);
        return nested != null && knownPath(parts, index + 1, nested);
    }

    /**
     * What a template may name under a relation's name, for {@link #unknownNames(String, Collection, Map)}.
     *
     * @param toMany  a list of rows (names after it are not checked)
     * @param fields  the related row's rendered fields
     * @param related its nested relations by name
     */
    public record TemplateRelation(boolean toMany, Collection<String> fields, Map<String, TemplateRelation> related) {
    }

    static String lines(Map<String, String> fields) {
        StringBuilder sb = new StringBuilder();
        fields.forEach((name, value) -> sb.append(name).append(": ").append(value).append('\n'));
        return sb.toString();
    }

    /** A JSON value as the text a reader expects: decimals in plain notation, NULL as nothing. */
    static String text(JsonNode value) {
        if (value == null || value.isNull()) {
            return "";
        }
        if (value.isBigDecimal() || value.isFloatingPointNumber()) {
            return value.decimalValue().toPlainString();
        }
        if (value.isValueNode()) {
            return value.asText();
        }
        return value.toString();
    }

    private String applyTemplate(SyncConfig config, Change change, Map<String, Object> values, boolean cache) {
        Template template = cache
                ? templates.computeIfAbsent(config.id() + ":" + config.template(), k -> engine.parse(config.template()))
                : engine.parse(config.template());
        Map<String, Object> data = new LinkedHashMap<>(values);
        data.put("cdc", Map.of("table", change.table(), "key", change.recordKey(),
                "operation", change.operation().name(), "config", config.name(),
                "capturedAt", change.capturedAt() == null ? "" : CAPTURED_AT.format(change.capturedAt().atZone(zone))));
        try {
            var instance = template.instance();
            data.forEach(instance::data);
            return instance.render();
        } catch (RuntimeException e) {
            throw new RenderException("template of config '" + config.name() + "' failed: " + e.getMessage(), e);
        }
    }

    /**
     * A rough token count: one per CJK character, one per four other characters. Only used to count
     * rows Coze will split into more than one chunk.
     */
    static int estimateTokens(String text) {
        int cjk = 0;
        int other = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            Character.UnicodeScript script = Character.UnicodeScript.of(cp);
            if (script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
                    || script == Character.UnicodeScript.KATAKANA || script == Character.UnicodeScript.HANGUL) {
                cjk++;
            } else {
                other++;
            }
            i += Character.charCount(cp);
        }
        return cjk + (other + 3) / 4;
    }

    static String sha256(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
