package io.cozecdc.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import io.cozecdc.configs.SyncConfig;
import io.cozecdc.sink.SinkErrorKind;
import io.cozecdc.sink.SinkException;
import io.cozecdc.testing.InjectFakeCoze;
import io.cozecdc.testing.PipelineSupport;
import io.cozecdc.testing.coze.FakeCoze;

/** Review finding 10: Coze's message is longer than sync_configs.status_reason (1000 characters). */
@QuarkusTest
class ConfigErrorReasonTest {

    @InjectFakeCoze
    FakeCoze coze;
    @Inject
    PipelineSupport support;
    @Inject
    ConfigErrors configErrors;

    @BeforeEach
    void setUp() {
        support.reset();
    }

    @AfterEach
    void tearDown() {
        coze.reset();
    }

    @Test
    void aRefusalWithAMessageLongerThanTheColumnStillPutsTheConfigInError() {
        SyncConfig config = support.config("long-refusal", "products", coze.createDataset("refusal-kb"),
                List.of("id", "name"), null);
        String message = "token lacks permission 😀 ".repeat(100); // 2500 characters
        SinkException refusal = new SinkException(SinkErrorKind.CONFIGURATION, 4101, 403, message, "log-1", false);

        configErrors.markError(config, refusal).await().atMost(PipelineSupport.WAIT);

        assertThat(support.db().scalar("SELECT status FROM sync_configs WHERE id = ?", config.id())).isEqualTo("ERROR");
        String reason = (String) support.db().scalar("SELECT status_reason FROM sync_configs WHERE id = ?", config.id());
        assertThat(reason).startsWith("Coze refused the configuration: code 4101 (HTTP 403): token lacks").endsWith("…");
        assertThat(reason.codePointCount(0, reason.length())).isEqualTo(1000);
    }
}
