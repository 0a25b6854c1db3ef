package dev.bkv.archrules;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import java.nio.file.Path;
import java.util.Optional;

/**
 * "Internal means internal" (STYLE.md, Layout): the classes in {@code X.internal} are the
 * implementation of feature {@code X} and are used only by {@code X} itself and its own
 * subpackages ({@code X.internal}, test fixtures such as {@code X.testing}, fuzz targets in
 * {@code X.fuzz}). Anything another package needs is promoted to a public, documented class.
 *
 * <p>Every module runs {@link #RULE} over its own main and test classes:
 *
 * <pre>{@code
 * @AnalyzeClasses(packages = "dev.bkv", importOptions = InternalPackages.ThisModule.class)
 * class InternalPackagesTest {
 *   @ArchTest static final ArchRule internalStaysInternal = InternalPackages.RULE;
 * }
 * }</pre>
 *
 * <p>Java modules ({@code module-info.java}) cannot express this: they hide packages from other
 * modules, while most of these dependencies are between packages of one module.
 */
public final class InternalPackages {

  /** The root of the packages the rule watches; other libraries' internals are their business. */
  public static final String ROOT = "dev.bkv";

  /** No class outside feature {@code X} depends on a class in {@code X.internal}. */
  public static final ArchRule RULE = ArchRuleDefinition.classes()
      .should(new ArchCondition<JavaClass>("use another package's internal subpackage only "
          + "from within that package (X.internal is for X and X's subpackages)") {
        @Override
        public void check(JavaClass origin, ConditionEvents events) {
          for (Dependency d : origin.getDirectDependenciesFromSelf()) {
            Optional<String> owner = ownerOf(d.getTargetClass().getBaseComponentType().getPackageName());
            if (owner.isPresent() && !within(origin.getPackageName(), owner.get())) {
              events.add(SimpleConditionEvent.violated(d, d.getDescription()
                  + " [" + owner.get() + ".internal is internal to " + owner.get() + "]"));
            }
          }
        }
      });

  private InternalPackages() {}

  /**
   * The feature that owns {@code pkg} when it is an internal package: {@code X} for
   * {@code X.internal} and {@code X.internal.*}; empty for any other package.
   */
  public static Optional<String> ownerOf(String pkg) {
    if (!within(pkg, ROOT)) {
      return Optional.empty();
    }
    int i = (pkg + ".").indexOf(".internal.");
    return i < 0 ? Optional.empty() : Optional.of(pkg.substring(0, i));
  }

  private static boolean within(String pkg, String feature) {
    return pkg.equals(feature) || pkg.startsWith(feature + ".");
  }

  /**
   * Imports only the classes this module compiled ({@code target/classes} and
   * {@code target/test-classes} under the working directory, which Surefire sets to the
   * module's): upstream modules check themselves.
   */
  public static final class ThisModule implements ImportOption {
    private final String target =
        Path.of("target").toAbsolutePath().normalize().toUri().getPath();

    @Override
    public boolean includes(Location location) {
      return location.asURI().getPath() != null && location.asURI().getPath().startsWith(target);
    }
  }
}
