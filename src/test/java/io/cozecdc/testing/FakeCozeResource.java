package io.cozecdc.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

import io.cozecdc.testing.coze.FakeCoze;

/**
 * Starts one strict Coze fake for the whole test run on a dynamic port and points the service at
 * it. Global, so every test class shares one application start.
 */
@WithTestResource(value = FakeCozeResource.class, scope = TestResourceScope.GLOBAL)
public class FakeCozeResource implements QuarkusTestResourceLifecycleManager {

    public static final String TOKEN = "test-coze-token-7f3a91";

    private static volatile FakeCoze running;

    private FakeCoze fake;

    /** The fake of this test run, for test beans (tests themselves use {@link InjectFakeCoze}). */
    public static FakeCoze running() {
        if (running == null) {
            throw new IllegalStateException("the Coze fake is not started");
        }
        return running;
    }

    @Override
    public Map<String, String> start() {
        fake = FakeCoze.start(TOKEN);
        running = fake;
        return Map.of("coze.base-url", fake.baseUrl(), "coze.api-token", TOKEN);
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(fake, new TestInjector.AnnotatedAndMatchesType(InjectFakeCoze.class, FakeCoze.class));
    }

    @Override
    public void stop() {
        if (fake != null) {
            fake.close();
        }
    }
}
