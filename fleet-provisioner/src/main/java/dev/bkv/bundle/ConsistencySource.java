package dev.bkv.bundle;

import dev.bkv.transparency.ConsistencyProof;
import dev.bkv.transparency.TileLogReader;
import dev.bkv.transparency.TransparencyException;
import dev.bkv.transparency.VerifierKey;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a client gets consistency proofs between two cosigner checkpoints: normally the
 * cosigner's static log. Proofs are untrusted; {@link BundleVerifier} checks them.
 */
@FunctionalInterface
public interface ConsistencySource {

  ConsistencyProof proof(long size1, long size2) throws BundleException;

  /** Proofs computed from a tlog-tiles directory whose checkpoint the cosigner signed. */
  static ConsistencySource fromLog(Path dir, VerifierKey cosigner) {
    return (size1, size2) -> {
      try {
        return TileLogReader.open(dir, cosigner.name(), List.of(cosigner.verifier()))
            .consistencyProof(size1, size2);
      } catch (TransparencyException e) {
        throw new BundleRejectedException(BundleException.Reason.INCONSISTENT_CHECKPOINT,
            "log " + dir + " cannot prove consistency from size " + size1 + " to " + size2
                + ": " + e.getMessage(), e);
      }
    };
  }
}
