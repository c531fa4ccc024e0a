package io.cozecdc.configapi;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

import io.cozecdc.api.ApiException;
import io.cozecdc.api.FieldError;
import io.cozecdc.configs.SyncConfig;
import io.cozecdc.configs.SyncConfigRepository;

/** Configuration as code: export every config, import (upsert by name) with an optional dry run. */
@ApplicationScoped
public class ConfigTransfer {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS))
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL);

    private final SyncConfigRepository configs;
    private final SyncConfigValidator validator;
    private final SyncConfigService service;
    private final ObjectMapper json;

    public ConfigTransfer(SyncConfigRepository configs, SyncConfigValidator validator, SyncConfigService service, ObjectMapper json) {
        this.configs = configs;
        this.validator = validator;
        this.service = service;
        this.json = json;
    }

    /** Every configuration, as an import would take it back. */
    public Uni<ConfigBundle> export() {
        return configs.findAll().map(all -> new ConfigBundle(all.stream().map(c -> new SyncConfigRequest(c.name(),
                c.tableName(), Long.toString(c.datasetId()), c.fields(), c.template(), c.enabled(),
                c.related().isEmpty() ? null : RelationRequest.of(c.related()))).toList()));
    }

    public String toYaml(ConfigBundle bundle) {
        try {
            return YAML.writeValueAsString(bundle);
        } catch (Exception e) {
            throw new IllegalStateException("could not write YAML", e);
        }
    }

    /** Reads a bundle from YAML or JSON text. */
    public ConfigBundle parse(String body, boolean yaml) {
        if (body == null || body.isBlank()) {
            throw ApiException.badRequest("the body is empty; send {\"syncConfigs\": [...]}");
        }
        try {
            ConfigBundle bundle = (yaml ? YAML : json).readValue(body, ConfigBundle.class);
            if (bundle == null || bundle.syncConfigs() == null) {
                throw ApiException.invalid("syncConfigs", "is required");
            }
            int nulls = bundle.syncConfigs().indexOf(null);
            if (nulls >= 0) {
                throw ApiException.invalid("syncConfigs[" + nulls + "]", "must be a sync configuration, not null");
            }
            return bundle;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw io.cozecdc.api.ProblemMappers.fromJsonProblem(e);
        }
    }

    /**
     * Creates configs with new names and updates those whose name exists. Everything is validated
     * first: one invalid entry and nothing changes. With {@code dryRun} nothing changes either way.
     */
    public Uni<ImportResult> importBundle(ConfigBundle bundle, boolean dryRun) {
        List<SyncConfigRequest> entries = bundle.syncConfigs();
        return configs.findAll().chain(existing -> Multi.createFrom().range(0, entries.size())
                .onItem().transformToUniAndConcatenate(i -> validator.validate(entries.get(i))
                        .map(v -> new Planned(i, entries.get(i), v, null))
                        .onFailure(ApiException.class).recoverWithItem(e -> new Planned(i, entries.get(i), null, (ApiException) e)))
                .collect().asList()
                .chain(planned -> {
                    List<FieldError> errors = new ArrayList<>();
                    List<String> names = new ArrayList<>();
                    for (Planned p : planned) {
                        if (p.error() != null) {
                            p.error().errors().forEach(f -> errors.add(new FieldError("syncConfigs[" + p.index() + "]." + f.field(), f.message())));
                        } else if (names.contains(p.valid().name())) {
                            errors.add(new FieldError("syncConfigs[" + p.index() + "].name", "'" + p.valid().name() + "' appears twice"));
                        } else {
                            names.add(p.valid().name());
                            SyncConfig current = existing.stream().filter(c -> c.name().equals(p.valid().name())).findFirst().orElse(null);
                            if (current != null && (!current.tableName().equals(p.valid().tableName()) || current.datasetId() != p.valid().datasetId())) {
                                errors.add(new FieldError("syncConfigs[" + p.index() + "]", "'" + current.name()
                                        + "' exists with another table or dataset; those cannot change"));
                            }
                        }
                    }
                    if (!errors.isEmpty()) {
                        return Uni.createFrom().failure(ApiException.invalid(errors));
                    }
                    return apply(planned, existing, dryRun);
                }));
    }

    private Uni<ImportResult> apply(List<Planned> planned, List<SyncConfig> existing, boolean dryRun) {
        List<String> created = new ArrayList<>();
        List<String> updated = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        return Multi.createFrom().iterable(planned).onItem().transformToUniAndConcatenate(p -> {
            SyncConfigValidator.Valid v = p.valid();
            SyncConfig current = existing.stream().filter(c -> c.name().equals(v.name())).findFirst().orElse(null);
            if (current == null) {
                created.add(v.name());
                return dryRun ? Uni.createFrom().voidItem() : service.create(p.request()).replaceWithVoid();
            }
            boolean same = current.fields().equals(v.fields()) && java.util.Objects.equals(current.template(), v.template())
                    && current.enabled() == v.enabled() && current.related().equals(v.related());
            if (same) {
                unchanged.add(v.name());
                return Uni.createFrom().voidItem();
            }
            updated.add(v.name());
            return dryRun ? Uni.createFrom().voidItem() : service.update(current.id(), p.request()).replaceWithVoid();
        }).collect().last().map(x -> new ImportResult(dryRun, created, updated, unchanged));
    }

    private record Planned(int index, SyncConfigRequest request, SyncConfigValidator.Valid valid, ApiException error) {
    }

    /** A set of configurations, as exported and imported (read and written by our own mappers: native needs reflection). */
    @io.quarkus.runtime.annotations.RegisterForReflection
    public record ConfigBundle(List<SyncConfigRequest> syncConfigs) {
    }

    /** What an import did (or, in a dry run, would do). */
    public record ImportResult(@Schema(example = "false") boolean dryRun,
            @Schema(example = "[\"products-en\"]") List<String> created,
            @Schema(example = "[\"suppliers-kb\"]") List<String> updated,
            @Schema(example = "[]") List<String> unchanged) {
    }
}
