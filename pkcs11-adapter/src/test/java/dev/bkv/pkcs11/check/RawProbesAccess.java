package dev.bkv.pkcs11.check;

/** Test access to {@link RawProbes}' pure parts from other packages. */
public final class RawProbesAccess {
  private RawProbesAccess() {}

  /** {@link RawProbes#reunwrapFinding} with a canned outcome. */
  public static Finding reunwrapFinding(String refused, java.util.function.Supplier<Boolean> outcome) {
    return RawProbes.reunwrapFinding(refused, outcome::get);
  }
}
