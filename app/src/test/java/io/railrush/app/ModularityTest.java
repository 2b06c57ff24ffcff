package io.railrush.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/**
 * Features reach each other only through their declared dependencies and named interfaces; nobody
 * uses the kit's internals. Also writes the module diagrams into {@code docs/modules/}.
 */
class ModularityTest {

  private static final ApplicationModules MODULES =
      ApplicationModules.of(RailrushApplication.class);

  @Test
  void modulesRespectTheirDeclaredBoundaries() {
    MODULES.verify();
  }

  @Test
  void ordersKnowNothingOfTheGrabPipeline() {
    noClasses()
        .that()
        .resideInAPackage("io.railrush.app.order..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.railrush.app.grab..")
        .check(appClasses());
  }

  @Test
  void theKitIsUsedThroughItsApiOnly() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.railrush.kit..internal..")
        .check(appClasses());
  }

  @Test
  void writesTheModuleDiagrams() throws Exception {
    Path folder = Path.of("..", "docs", "modules");
    new Documenter(MODULES, Documenter.Options.defaults().withOutputFolder(folder.toString()))
        .writeModulesAsPlantUml()
        .writeIndividualModulesAsPlantUml()
        .writeModuleCanvases();
    // Documenter lists relations in no fixed order: sorted, the committed diagrams change only
    // when the modules do
    try (var files = Files.list(folder)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".puml")).toList()) {
        List<String> lines = Files.readAllLines(file);
        List<String> relations = lines.stream().filter(l -> l.startsWith("Rel(")).sorted().toList();
        List<String> sorted = new ArrayList<>();
        int next = 0;
        for (String line : lines) {
          sorted.add(line.startsWith("Rel(") ? relations.get(next++) : line);
        }
        Files.write(file, sorted);
      }
    }
    assertThat(folder.resolve("components.puml")).exists();
    assertThat(Files.readString(folder.resolve("components.puml"))).contains("Grab", "Orders");
  }

  private static JavaClasses appClasses() {
    return new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.railrush.app");
  }
}
