package io.cozecdc.configs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** How sync_configs.related stores a configuration's relations: a JSON list, the API's shape. */
public final class RelationsJson {

    private RelationsJson() {
    }

    /** The column's value: null for no relations. */
    public static String encode(List<Relation> relations) {
        return relations.isEmpty() ? null : array(relations).encode();
    }

    /** The relations a column value holds; empty for null or []. */
    public static List<Relation> decode(Object value) {
        if (value == null) {
            return List.of();
        }
        JsonArray array = value instanceof JsonArray a ? a : new JsonArray(value.toString());
        return list(array);
    }

    private static JsonArray array(List<Relation> relations) {
        JsonArray array = new JsonArray();
        for (Relation r : relations) {
            JsonObject o = new JsonObject().put("name", r.name()).put("table", r.table());
            JsonObject join = new JsonObject();
            r.join().forEach(join::put);
            o.put("join", join).put("fields", new JsonArray(new ArrayList<>(r.fields())));
            if (r.orderBy() != null) {
                o.put("orderBy", r.orderBy());
            }
            if (r.limit() != null) {
                o.put("limit", r.limit());
            }
            if (!r.related().isEmpty()) {
                o.put("related", array(r.related()));
            }
            array.add(o);
        }
        return array;
    }

    private static List<Relation> list(JsonArray array) {
        List<Relation> relations = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonObject o = array.getJsonObject(i);
            Map<String, String> join = new LinkedHashMap<>();
            JsonObject j = o.getJsonObject("join", new JsonObject());
            j.fieldNames().forEach(k -> join.put(k, j.getString(k)));
            List<String> fields = new ArrayList<>();
            o.getJsonArray("fields", new JsonArray()).forEach(f -> fields.add(String.valueOf(f)));
            relations.add(new Relation(o.getString("name"), o.getString("table"), join, fields, o.getString("orderBy"),
                    o.getInteger("limit"), list(o.getJsonArray("related", new JsonArray()))));
        }
        return relations;
    }
}
