package dev.bkv.bundle;

import dev.bkv.bundle.testing.BundleFixture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Child process for {@link CosignerKillTest}: cosigns the deterministic epochs of
 * {@link #bundles} into the cosigner log {@code args[0]}, printing each epoch once signed, until
 * killed or out of epochs.
 */
public final class CosignerChild {

  static final int EPOCHS = 400;

  private CosignerChild() {}

  /** The same fixture and bundle chain in parent and child. */
  static BundleFixture fixture() throws Exception {
    return new BundleFixture(42);
  }

  static List<ValidationBundle> bundles(BundleFixture.Fleet fleet) throws Exception {
    List<ValidationBundle> out = new ArrayList<>();
    ValidationBundle prev = null;
    for (int e = 1; e <= EPOCHS; e++) {
      prev = BundleFixture.bundle(fleet, e, prev);
      out.add(prev);
    }
    return out;
  }

  public static void main(String[] args) throws Exception {
    BundleFixture f = fixture();
    BundleFixture.Fleet fleet = f.fleet(2);
    List<ValidationBundle> bundles = bundles(fleet);
    try (Cosigner c = f.cosigner(Path.of(args[0]))) {
      System.out.println("open " + c.lastEpoch());
      System.out.flush();
      for (long e = c.lastEpoch() + 1; e <= EPOCHS; e++) {
        c.sign(bundles.get((int) e - 1).toText(), BundleFixture.evidence(fleet, e));
        System.out.println("epoch " + e);
        System.out.flush();
      }
    }
  }
}
