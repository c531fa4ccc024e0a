package io.cozecdc.coze;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.LaunchMode;

import io.cozecdc.sink.SinkErrorKind;

/** One place decides what a failure means. */
class CozeErrorsTest {

    @Test
    void documentedRetryableCodesAndStatuses() {
        for (int code : new int[] {4009, 4013, 4102, 5000}) {
            assertThat(CozeErrors.fromAnswer(200, code, "m", "l").kind()).as("code %d", code).isEqualTo(SinkErrorKind.RETRYABLE);
        }
        for (int status : new int[] {429, 500, 502, 503, 504}) {
            assertThat(CozeErrors.fromAnswer(status, null, "m", null).kind()).as("HTTP %d", status).isEqualTo(SinkErrorKind.RETRYABLE);
        }
        assertThat(CozeErrors.fromTransport(new ConnectException("refused"), false).kind()).isEqualTo(SinkErrorKind.RETRYABLE);
        assertThat(CozeErrors.fromTransport(new TimeoutException(), true).mayHaveApplied()).isTrue();
    }

    @Test
    void configurationAndPermanentCodes() {
        for (int code : new int[] {4100, 4101, 4200}) {
            assertThat(CozeErrors.fromAnswer(200, code, "m", "l").kind()).as("code %d", code).isEqualTo(SinkErrorKind.CONFIGURATION);
        }
        assertThat(CozeErrors.fromAnswer(401, null, "m", null).kind()).isEqualTo(SinkErrorKind.CONFIGURATION);
        for (int code : new int[] {4000, 4300, 4301, 4302, 4303, 4304}) {
            assertThat(CozeErrors.fromAnswer(200, code, "m", "l").kind()).as("code %d", code).isEqualTo(SinkErrorKind.PERMANENT);
        }
        // the body code wins over the HTTP status
        assertThat(CozeErrors.fromAnswer(500, 4000, "bad", "l").kind()).isEqualTo(SinkErrorKind.PERMANENT);
    }

    @Test
    void describeCarriesCodeMessageAndLogid() {
        assertThat(CozeErrors.fromAnswer(200, 4000, "invalid parameter", "20261125abc").describe())
                .isEqualTo("code 4000 (HTTP 200): invalid parameter [logid 20261125abc]");
    }

    @Test
    void dryRunOnlyWhenAskedOrInDevModeWithoutAToken() {
        assertThat(CozeApiProducer.useDryRun(config(null, null), LaunchMode.DEVELOPMENT)).isTrue();
        assertThat(CozeApiProducer.useDryRun(config("tok", null), LaunchMode.DEVELOPMENT)).isFalse();
        assertThat(CozeApiProducer.useDryRun(config(null, null), LaunchMode.NORMAL)).isFalse();
        assertThat(CozeApiProducer.useDryRun(config("tok", true), LaunchMode.NORMAL)).isTrue();
    }

    static CozeSettings config(String token, Boolean dryRun) {
        return (CozeSettings) java.lang.reflect.Proxy.newProxyInstance(CozeSettings.class.getClassLoader(), new Class<?>[] {CozeSettings.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "apiToken" -> java.util.Optional.ofNullable(token);
                    case "dryRun" -> java.util.Optional.ofNullable(dryRun);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
