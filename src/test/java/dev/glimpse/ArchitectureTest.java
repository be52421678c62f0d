package dev.glimpse;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The dependency rules of the architecture: kernel → extension → engine, pipeline and serve → engine API, the remote
 * client → engine API only, extension → serve for the notebook's web page, and the engine knows no Jupyter.
 */
class ArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.glimpse");

    @Test
    void theEngineKnowsNothingOfJupyter() {
        noClasses().that().resideInAPackage("dev.glimpse.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.glimpse.kernel..", "dev.glimpse.display..",
                        "dev.glimpse.extension..", "dev.glimpse.cli..", "org.dflib.jjava..", "org.zeromq..")
                .check(CLASSES);
    }

    @Test
    void theEngineApiIsJdkOnly() {
        noClasses().that().resideInAPackage("dev.glimpse.engine")
                .should().dependOnClassesThat().resideInAnyPackage("ai.djl..", "dev.glimpse.engine.glm4v..",
                        "com.fasterxml..", "tech.tablesaw..")
                .check(CLASSES);
    }

    @Test
    void thePipelineRunsOnTheEngineApiOnly() {
        noClasses().that().resideInAPackage("dev.glimpse.pipeline..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.glimpse.engine.glm4v..", "ai.djl..",
                        "dev.glimpse.kernel..", "dev.glimpse.display..", "dev.glimpse.extension..",
                        "dev.glimpse.cli..", "org.dflib.jjava..")
                .check(CLASSES);
    }

    @Test
    void theRemoteClientNeedsNoLocalEngine() {
        noClasses().that().resideInAPackage("dev.glimpse.engine.remote..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.glimpse.engine.glm4v..", "ai.djl..",
                        "dev.glimpse.serve..", "dev.glimpse.pipeline..", "tech.tablesaw..")
                .check(CLASSES);
    }

    @Test
    void theHubClientLoadsNoModel() {
        noClasses().that().resideInAPackage("dev.glimpse.engine.hub..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.glimpse.engine.glm4v..",
                        "dev.glimpse.engine.remote..", "ai.djl..", "dev.glimpse.serve..", "dev.glimpse.pipeline..",
                        "tech.tablesaw..")
                .check(CLASSES);
    }

    @Test
    void theServerRunsOnTheEngineApiOnly() {
        noClasses().that().resideInAPackage("dev.glimpse.serve..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.glimpse.engine.glm4v..",
                        "dev.glimpse.engine.remote..", "ai.djl..", "dev.glimpse.kernel..", "dev.glimpse.display..",
                        "dev.glimpse.extension..", "dev.glimpse.cli..", "dev.glimpse.pipeline..", "org.dflib.jjava..",
                        "tech.tablesaw..")
                .check(CLASSES);
    }

    /**
     * The server is started by the command line ({@code glimpse serve}, {@code glimpse web}) and by the extension
     * ({@code webPage()} serves the page on the model the kernel already holds: one copy in memory). The extension
     * uses only the server's public API (ChatServer, ServeOptions) and the server knows nothing of the extension
     * ({@link #theServerRunsOnTheEngineApiOnly}); nothing else starts servers.
     */
    @Test
    void onlyTheCommandLineAndTheExtensionStartTheServer() {
        noClasses().that().resideOutsideOfPackages("dev.glimpse.serve..", "dev.glimpse.cli..",
                        "dev.glimpse.extension..")
                .should().dependOnClassesThat().resideInAPackage("dev.glimpse.serve..")
                .check(CLASSES);
    }

    @Test
    void theExtensionReachesTheKernelThroughItsSpiOnly() {
        // the SPI (ExtensionContext, magics), never the kernel's own classes such as the static Notebook API
        noClasses().that().resideInAPackage("dev.glimpse.extension..")
                .should().dependOnClassesThat().resideInAPackage("dev.glimpse.kernel")
                .check(CLASSES);
    }

    @Test
    void theKernelNeverImportsTheEngine() {
        noClasses().that().resideInAnyPackage("dev.glimpse.kernel..", "dev.glimpse.display..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.glimpse.engine..", "ai.djl..",
                        "dev.glimpse.extension..", "dev.glimpse.cli..")
                .check(CLASSES);
    }

    @Test
    void displayDoesNotDependOnTheKernel() {
        noClasses().that().resideInAPackage("dev.glimpse.display..")
                .should().dependOnClassesThat().resideInAPackage("dev.glimpse.kernel..")
                .check(CLASSES);
    }

    @Test
    void theProtocolLayerKnowsNoCells() {
        noClasses().that().resideInAPackage("dev.glimpse.kernel.protocol..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.glimpse.kernel.jshell..",
                        "dev.glimpse.kernel.magic..", "jdk.jshell..")
                .check(CLASSES);
    }
}
