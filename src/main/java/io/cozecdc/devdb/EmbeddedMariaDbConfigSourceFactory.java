package io.cozecdc.devdb;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;

/**
 * Points the datasource at an embedded MariaDB when the service runs in dev mode or under test and
 * {@code DB_HOST} is not set. In every other case it contributes nothing, so a configured database
 * always wins and production never starts an embedded server.
 */
public class EmbeddedMariaDbConfigSourceFactory implements ConfigSourceFactory {

    /** Above application.properties (250), below environment variables (300) and system properties (400). */
    static final int ORDINAL = 275;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        List<String> profiles = context.getProfiles();
        boolean test = profiles.contains("test");
        boolean dev = profiles.contains("dev");
        if (!(test || dev) || isSet(context.getValue("DB_HOST")) || isFalse(context.getValue("cdc.embedded-db.enabled"))) {
            return List.of();
        }
        String profile = test ? "test" : "dev";
        int port = EmbeddedMariaDb.startOrReuse(Path.of("target", "embedded-mariadb", profile), test);
        Map<String, String> props = Map.of(
                "quarkus.datasource.jdbc.url", EmbeddedMariaDb.jdbcUrl(port),
                "quarkus.datasource.reactive.url", EmbeddedMariaDb.reactiveUrl(port),
                "quarkus.datasource.username", EmbeddedMariaDb.USER,
                "quarkus.datasource.password", EmbeddedMariaDb.PASSWORD);
        return List.of(new PropertiesConfigSource(props, "embedded-mariadb", ORDINAL));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }

    private static boolean isSet(ConfigValue value) {
        return value != null && value.getValue() != null && !value.getValue().isBlank();
    }

    private static boolean isFalse(ConfigValue value) {
        return value != null && "false".equalsIgnoreCase(value.getValue());
    }
}
