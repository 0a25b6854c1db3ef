package dev.bkv.pkcs11;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.bkv.archrules.InternalPackages;

/** No class of pkcs11-adapter outside feature X uses X.internal (main and test classes). */
@AnalyzeClasses(packages = "dev.bkv", importOptions = InternalPackages.ThisModule.class)
class InternalPackagesTest {
  @ArchTest
  static final ArchRule internalStaysInternal = InternalPackages.RULE;
}
