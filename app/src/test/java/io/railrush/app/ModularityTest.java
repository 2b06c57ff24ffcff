package io.railrush.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

/** Features reach each other only through their public API; nobody uses the kit's internals. */
class ModularityTest {

  @Test
  void modulesRespectTheirBoundaries() {
    ApplicationModules.of(RailrushApplication.class).verify();
  }

  @Test
  void theKitIsUsedThroughItsApiOnly() {
    JavaClasses app =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.railrush.app");
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.railrush.kit..internal..")
        .check(app);
  }
}
