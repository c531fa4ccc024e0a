package io.cozecdc.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import io.cozecdc.testing.StartGate;

/**
 * The process ITs run beside the other tests ({@code @Execution(CONCURRENT)} on the class). That mode also
 * applies to a class's own methods, whatever their {@code @Order}: two methods that share one service, database
 * or fake (started in {@code @BeforeAll}) ran at once whenever a thread was free, and one's outage broke the
 * other (OutageIT, JobsLivenessIT). Such methods must say {@code @Execution(SAME_THREAD)}.
 */
@Execution(ExecutionMode.CONCURRENT) // nothing shared: beside the other tests
@ExtendWith(StartGate.class)
class ProcessItShapeTest {

    @Test
    void processItsWithASharedFixtureRunTheirMethodsOneAfterTheOther() throws Exception {
        TreeSet<String> concurrentMethods = new TreeSet<>();
        int checked = 0;
        for (JavaClass javaClass : new ClassFileImporter().withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS)
                .importPackages(getClass().getPackageName())) {
            if (!javaClass.getSimpleName().endsWith("IT") || javaClass.isNestedClass()) {
                continue;
            }
            Class<?> it = Class.forName(javaClass.getName());
            Execution mode = it.getAnnotation(Execution.class);
            boolean shared = Arrays.stream(it.getDeclaredMethods()).anyMatch(m -> m.isAnnotationPresent(BeforeAll.class));
            List<Method> tests = Arrays.stream(it.getDeclaredMethods()).filter(m -> m.isAnnotationPresent(Test.class)).toList();
            if (mode == null || mode.value() != ExecutionMode.CONCURRENT || !shared || tests.size() < 2) {
                continue;
            }
            checked++;
            for (Method test : tests) {
                Execution own = test.getAnnotation(Execution.class);
                if (own == null || own.value() != ExecutionMode.SAME_THREAD) {
                    concurrentMethods.add(it.getSimpleName() + "." + test.getName());
                }
            }
        }
        assertThat(checked).as("process ITs with a shared fixture and several methods").isPositive();
        assertThat(concurrentMethods).as("methods that would run at the same time as their class's others").isEmpty();
    }
}
