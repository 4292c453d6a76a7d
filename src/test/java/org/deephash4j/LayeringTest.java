package org.deephash4j;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of DESIGN.md, checked on the compiled classes of all three modules (engine, kernels,
 * application): the engine depends on the JDK alone; the device-neutral layers speak only Backend;
 * only VectorXxx classes touch the Vector API; no two packages depend on each other.
 */
class LayeringTest {
    private static final String[] ENGINE = {"org.deephash4j.tensor..", "org.deephash4j.backend..", "org.deephash4j.autograd..",
        "org.deephash4j.nn..", "org.deephash4j.optim..", "org.deephash4j.hashing..", "org.deephash4j.search..",
        "org.deephash4j.metrics..", "org.deephash4j.io..", "org.deephash4j.data..", "org.deephash4j.zoo..",
        "org.deephash4j.model..", "org.deephash4j.train..", "org.deephash4j.eval..", "org.deephash4j.doctor..",
        "org.deephash4j.index.."};

    /** Classes that are not VectorXxx and not nested in one (VectorBatchNorm.ChannelSums is part of VectorBatchNorm). */
    private static final DescribedPredicate<JavaClass> OUTSIDE_VECTOR_CLASSES =
            DescribedPredicate.describe("are not a VectorXxx class or nested in one", c -> {
                JavaClass top = c;
                while (top.getEnclosingClass().isPresent()) top = top.getEnclosingClass().get();
                return !top.getSimpleName().startsWith("Vector");
            });

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.deephash4j");
    }

    @Test
    void everyModuleIsImported() {
        // A rule over an empty set passes vacuously: make sure all three modules are on the class path.
        for (String type : new String[] {"org.deephash4j.tensor.Tensor", "org.deephash4j.opencl.OpenClBackend",
            "org.deephash4j.app.Main"}) {
            if (!classes.contain(type)) throw new AssertionError(type + " was not imported; the layering rules would see nothing");
        }
    }

    @Test
    void engineImportsNothingOfTheApplicationOrTheKernels() {
        check(noClasses().that().resideInAnyPackage(ENGINE)
                .should().dependOnClassesThat().resideInAnyPackage("org.deephash4j.app..", "org.deephash4j.opencl..",
                        "picocli..", "org.jocl..")
                .because("the engine depends on the JDK alone; OpenCL is found through ServiceLoader"));
    }

    @Test
    void kernelsDoNotImportTheApplication() {
        check(noClasses().that().resideInAPackage("org.deephash4j.opencl..")
                .should().dependOnClassesThat().resideInAnyPackage("org.deephash4j.app..", "picocli.."));
    }

    @Test
    void deviceNeutralLayersSpeakOnlyBackend() {
        check(noClasses().that().resideInAnyPackage("org.deephash4j.autograd..", "org.deephash4j.nn..", "org.deephash4j.optim..",
                        "org.deephash4j.hashing..")
                .should().dependOnClassesThat().resideInAnyPackage("org.deephash4j.backend.cpu..", "jdk.incubator.vector..")
                .because("autograd, nn, optim and hashing are written against Backend, so OpenCL runs the same graph"));
    }

    @Test
    void onlyVectorClassesImportTheVectorApi() {
        check(noClasses().that(OUTSIDE_VECTOR_CLASSES)
                .should().dependOnClassesThat().resideInAPackage("jdk.incubator.vector..")
                .because("CpuKernelSets loads the vector classes by name only when the module is present"));
    }

    @Test
    void noPackageCycles() {
        check(slices().matching("org.deephash4j.(**)").should().beFreeOfCycles());
    }

    private static void check(ArchRule rule) {
        rule.check(classes);
    }
}
