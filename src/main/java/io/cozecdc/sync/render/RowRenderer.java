package io.cozecdc.sync.render;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.qute.Engine;
import io.quarkus.qute.Expression;
import io.quarkus.qute.Template;

import io.cozecdc.changelog.Change;
import io.cozecdc.configs.SyncConfig;

/**
 * Renders a row as document text: the configured fields (all columns when none are configured), as
 * {@code field: value} lines in a stable order, or through the config's Qute template. The template
 * sees the kept fields by name and {@code cdc.table}, {@code cdc.key}, {@code cdc.operation}.
 */
@ApplicationScoped
public class RowRenderer {

    private final Engine engine;
    private final Map<String, Template> templates = new ConcurrentHashMap<>();

    public RowRenderer(Engine engine) {
        this.engine = engine;
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
        return render(config, change, columns, true);
    }

    /**
     * Renders like {@link #render(SyncConfig, Change, List)} but compiles the template afresh and does
     * not keep it: for previews of templates that are still being written, which must not fill the cache.
     */
    public RenderedDocument renderOnce(SyncConfig config, Change change, List<ColumnFormat> columns) {
        return render(config, change, columns, false);
    }

    private RenderedDocument render(SyncConfig config, Change change, List<ColumnFormat> columns, boolean cache) {
        ObjectNode data = change.data();
        Map<String, ColumnFormat> formats = new LinkedHashMap<>();
        columns.forEach(c -> formats.put(c.name(), c));
        Map<String, String> kept = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        if (config.fields().isEmpty()) {
            if (data != null) {
                // table order first; then any key the table no longer has, in the change's order
                formats.values().forEach(c -> {
                    if (data.has(c.name())) {
                        kept.put(c.name(), c.text(data.get(c.name())));
                    }
                });
                data.fields().forEachRemaining(e -> kept.putIfAbsent(e.getKey(), text(formats, e.getKey(), e.getValue())));
            }
        } else {
            for (String field : config.fields()) {
                JsonNode value = data == null ? null : data.get(field);
                if (value == null) {
                    missing.add(field);
                } else {
                    kept.put(field, text(formats, field, value));
                }
            }
        }
        String text = config.template() == null || config.template().isBlank()
                ? lines(kept)
                : applyTemplate(config, change, kept, cache);
        return new RenderedDocument(text, sha256(text), List.copyOf(missing), estimateTokens(text));
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
    public static final List<String> CDC_NAMES = List.of("table", "key", "operation", "config");
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

    private String applyTemplate(SyncConfig config, Change change, Map<String, String> kept, boolean cache) {
        Template template = cache
                ? templates.computeIfAbsent(config.id() + ":" + config.template(), k -> engine.parse(config.template()))
                : engine.parse(config.template());
        Map<String, Object> data = new LinkedHashMap<>();
        data.putAll(kept);
        data.put("cdc", Map.of("table", change.table(), "key", change.recordKey(),
                "operation", change.operation().name(), "config", config.name()));
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
