package io.cozecdc;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import io.cozecdc.testing.StartGate;

/**
 * The shape of the code (docs/architecture.md "Packages and layers"): packages in layers that import
 * only downward, and no package cycle. A sub-package counts as a package of its own. A new package
 * must be given a layer here, so its place is a decision, not an accident.
 */
@Execution(ExecutionMode.CONCURRENT) // no application, nothing shared: beside the other tests (see surefire in the pom)
@ExtendWith(StartGate.class) // once the in-process tests' application has started
class ArchitectureTest {

    /** Layers from the bottom up. A class may use its own package and the packages of lower layers. */
    static final List<List<String>> LAYERS = List.of(
            List.of("common", "api", "devdb", "sink"),
            List.of("coze"),
            List.of("changelog", "configs"),
            List.of("capture", "failures"),
            List.of("backfill", "fanout", "sync.documents", "sync.render", "sync.related"),
            List.of("sync"),
            List.of("configapi", "ops"),
            List.of("demo", "console"));

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.cozecdc");
    }

    @Test
    void thereIsNoPackageCycle() {
        slices().matching("io.cozecdc.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void onlyTheCozePackageKnowsCoze() {
        noClasses().that().resideOutsideOfPackage("io.cozecdc.coze..")
                .should().dependOnClassesThat().resideInAPackage("io.cozecdc.coze..")
                .because("the pipeline talks to the sink SPI (io.cozecdc.sink), so another knowledge base is one new package")
                .check(classes);
    }

    @Test
    void everyPackageHasALayer() {
        TreeSet<String> unplaced = new TreeSet<>();
        for (JavaClass c : classes) {
            relative(c.getPackageName()).filter(p -> layerOf(p) < 0).ifPresent(unplaced::add);
        }
        assertThat(unplaced).as("packages without a layer in ArchitectureTest.LAYERS").isEmpty();
    }

    @Test
    void packagesImportOnlyDownward() {
        TreeSet<String> violations = new TreeSet<>();
        for (JavaClass c : classes) {
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                upward(d).ifPresent(violations::add);
            }
        }
        assertThat(violations).as("dependencies on a package of the same or a higher layer").isEmpty();
    }

    @Test
    void theLayersAreWhatTheDocsDraw() {
        List<String> flat = new ArrayList<>();
        LAYERS.forEach(flat::addAll);
        assertThat(flat).as("a package appears in one layer only").doesNotHaveDuplicates();
    }

    private static Optional<String> upward(Dependency d) {
        Optional<String> from = relative(d.getOriginClass().getPackageName());
        Optional<String> to = relative(d.getTargetClass().getPackageName());
        if (from.isEmpty() || to.isEmpty() || from.get().equals(to.get())) {
            return Optional.empty();
        }
        int fromLayer = layerOf(from.get());
        int toLayer = layerOf(to.get());
        if (fromLayer < 0 || toLayer < fromLayer) {
            return Optional.empty();
        }
        return Optional.of(String.format("%s (layer %d) -> %s (layer %d): %s",
                from.get(), fromLayer, to.get(), toLayer, d.getDescription()));
    }

    private static Optional<String> relative(String packageName) {
        if (!packageName.startsWith("io.cozecdc.")) {
            return Optional.empty();
        }
        return Optional.of(packageName.substring("io.cozecdc.".length()));
    }

    private static int layerOf(String pkg) {
        for (int i = 0; i < LAYERS.size(); i++) {
            if (LAYERS.get(i).contains(pkg)) {
                return i;
            }
        }
        return -1;
    }

}
