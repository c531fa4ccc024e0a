package io.cozecdc.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Holds the classes that run beside the in-process tests (the process ITs and the other
 * {@code @Execution(CONCURRENT)} classes, which start databases and services of their own) until the
 * in-process tests' first Quarkus application has started. That start is the one slow step of the
 * in-process chain, and with two databases, services and an ArchUnit import beside it on 2 cores it
 * took 24 s instead of about 8. The concurrent classes have time to spare; the chain has none.
 *
 * <p>Three parts share one system property (the Quarkus application's classes live in another class
 * loader than the JUnit listener's): this listener, registered through
 * {@code META-INF/services/org.junit.platform.launcher.TestExecutionListener}, closes the gate when the
 * run holds a {@code @QuarkusTest} class and opens it when it has none, when the first such class
 * ends, or when the run ends; {@link Signal} opens it once the application has started; and the
 * concurrent classes wait for it with {@code @ExtendWith(StartGate.class)}, for at most two minutes.
 */
public final class StartGate implements TestExecutionListener, BeforeAllCallback {

    static final String PROPERTY = "cozecdc.test.start-gate";
    private static final Duration LIMIT = Duration.ofMinutes(2);
    private static final String QUARKUS_TEST = "Lio/quarkus/test/junit/QuarkusTest;";

    /** Opens the gate: a Quarkus application of the test run has started, or none will. */
    public static void open() {
        System.setProperty(PROPERTY, "open");
    }

    private static boolean isOpen() {
        return !"closed".equals(System.getProperty(PROPERTY, "open"));
    }

    @Override
    public void testPlanExecutionStarted(TestPlan plan) {
        boolean quarkus = plan.getRoots().stream()
                .flatMap(root -> plan.getDescendants(root).stream())
                .anyMatch(id -> className(id).map(StartGate::isQuarkusTest).orElse(false));
        System.setProperty(PROPERTY, quarkus ? "closed" : "open");
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        // read class files only while the gate is closed (this runs for every test and class of the run)
        if (!isOpen() && className(id).map(StartGate::isQuarkusTest).orElse(false)) {
            open(); // the first Quarkus class has ended, whether its application started or not
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        open();
    }

    @Override
    public void beforeAll(ExtensionContext context) throws InterruptedException {
        long started = System.nanoTime();
        long deadline = started + LIMIT.toNanos();
        while (!isOpen() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        long waited = (System.nanoTime() - started) / 1_000_000;
        if (waited >= 100) {
            System.out.printf("[start-gate] %s waited %d ms for the in-process tests' application to start%s%n",
                    context.getDisplayName(), waited, isOpen() ? "" : " (gave up waiting)");
        }
    }

    private static Optional<String> className(TestIdentifier id) {
        return id.getSource().filter(ClassSource.class::isInstance).map(s -> ((ClassSource) s).getClassName());
    }

    /** Whether the class is annotated {@code @QuarkusTest}, read from its class file without loading it. */
    private static boolean isQuarkusTest(String className) {
        try (InputStream in = StartGate.class.getClassLoader().getResourceAsStream(className.replace('.', '/') + ".class")) {
            return in != null && new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).contains(QUARKUS_TEST);
        } catch (IOException e) {
            return false;
        }
    }

    /** Opens the gate when the test application has started (a bean of every test application). */
    @jakarta.enterprise.context.ApplicationScoped
    public static class Signal {
        void started(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent event) {
            open();
        }
    }
}
