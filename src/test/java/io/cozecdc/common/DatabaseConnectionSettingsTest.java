package io.cozecdc.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.mariadb.jdbc.Configuration;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.common.MapBackedConfigSource;

/**
 * Issue 19, item 2: TLS for both connections and MySQL 8's caching_sha2_password as documented variables.
 * The JDBC URL (Flyway) carries sslMode and allowPublicKeyRetrieval, off unless chosen, and the driver
 * itself reads them so; the reactive client's ssl-mode follows DB_SSL_MODE.
 */
class DatabaseConnectionSettingsTest {

    @Test
    void byDefaultNoTlsAndNoPublicKeyRetrieval() throws Exception {
        SmallRyeConfig config = config(Map.of("DB_HOST", "db.example"));
        String url = config.getValue("quarkus.datasource.jdbc.url", String.class);
        assertThat(url).isEqualTo("jdbc:mariadb://db.example:3306/inventory?sslMode=disable&allowPublicKeyRetrieval=false");
        Configuration driver = Configuration.parse(url);
        assertThat(driver.sslMode().name()).isEqualTo("DISABLE");
        assertThat(driver.allowPublicKeyRetrieval()).isFalse();
        assertThat(config.getValue("quarkus.datasource.reactive.mysql.ssl-mode", String.class)).isEqualTo("disabled");
    }

    @Test
    void theVariablesTurnOnVerifiedTlsOrTheKeyRetrieval() throws Exception {
        SmallRyeConfig config = config(Map.of("DB_HOST", "rm-x.mysql.rds.aliyuncs.com", "DB_JDBC_SSL_MODE", "verify-full",
                "DB_JDBC_OPTIONS", "&serverSslCert=/etc/coze-cdc/db-ca.pem", "DB_ALLOW_PUBLIC_KEY_RETRIEVAL", "true",
                "DB_SSL_MODE", "verify_identity"));
        Configuration driver = Configuration.parse(config.getValue("quarkus.datasource.jdbc.url", String.class));
        assertThat(driver.sslMode().name()).isEqualTo("VERIFY_FULL");
        assertThat(driver.serverSslCert()).isEqualTo("/etc/coze-cdc/db-ca.pem");
        assertThat(driver.allowPublicKeyRetrieval()).isTrue();
        assertThat(config.getValue("quarkus.datasource.reactive.mysql.ssl-mode", String.class)).isEqualTo("verify_identity");
        // the sample schema's datasource (dev and tests only) uses the same URL
        assertThat(config.getValue("quarkus.datasource.sample.jdbc.url", String.class))
                .isEqualTo(config.getValue("quarkus.datasource.jdbc.url", String.class));
    }

    private static SmallRyeConfig config(Map<String, String> env) throws IOException {
        return new SmallRyeConfigBuilder().addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(DatabaseConnectionSettingsTest.class.getResource("/application.properties"), 100))
                .withSources(new MapBackedConfigSource("env", env, 300) {
                })
                .build();
    }
}
