package dev.bkv.archrules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.bkv.archrules.fixture.feature.Api;
import dev.bkv.archrules.fixture.feature.fuzz.Target;
import dev.bkv.archrules.fixture.feature.internal.Secret;
import dev.bkv.archrules.fixture.other.Intruder;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The rule on deliberately violating and on clean class sets (fixtures in {@code fixture}). */
class InternalPackagesTest {

  @Test
  void rejectsAnotherPackageUsingAnInternalPackage() {
    JavaClasses classes = new ClassFileImporter()
        .importClasses(Secret.class, Api.class, Target.class, Intruder.class);
    EvaluationResult result = InternalPackages.RULE.evaluate(classes);
    assertTrue(result.hasViolation());
    String report = String.join("\n", result.getFailureReport().getDetails());
    assertTrue(report.contains(Intruder.class.getName()), report);
    assertTrue(report.contains("fixture.feature.internal is internal to"), report);
    assertFalse(report.contains(Api.class.getName()), report);
    assertFalse(report.contains(Target.class.getName()), report);
    AssertionError e = assertThrows(AssertionError.class, () -> InternalPackages.RULE.check(classes));
    assertTrue(e.getMessage().contains("Intruder.steal()"), e.getMessage());
  }

  @Test
  void acceptsTheFeatureAndItsSubpackages() {
    JavaClasses classes =
        new ClassFileImporter().importClasses(Secret.class, Api.class, Target.class);
    InternalPackages.RULE.check(classes);
  }

  @Test
  void ownerOfAnInternalPackage() {
    assertEquals(Optional.of("dev.bkv.node.store"), InternalPackages.ownerOf("dev.bkv.node.store.internal"));
    assertEquals(Optional.of("dev.bkv.x"), InternalPackages.ownerOf("dev.bkv.x.internal.deeper"));
    assertEquals(Optional.empty(), InternalPackages.ownerOf("dev.bkv.internalish"));
    assertEquals(Optional.empty(), InternalPackages.ownerOf("dev.bkv.transparency"));
    assertEquals(Optional.empty(), InternalPackages.ownerOf("org.example.internal"));
  }
}
