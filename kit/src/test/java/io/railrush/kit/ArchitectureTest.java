package io.railrush.kit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "io.railrush.kit", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule kitImportsNothingFromSpring =
      noClasses()
          .that()
          .resideInAPackage("io.railrush.kit..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("org.springframework..");
}
