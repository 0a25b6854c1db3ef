package dev.bkv.transparency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The policy MerkleProofs documents beyond RFC 9162 (the RFC's cases are in the vectors). */
class MerkleProofsTest {

  @Test
  void consistencyFromSizeZeroIsRefusedAlsoToSizeZero() {
    Sha256Hash empty = Rfc6962.emptyRoot();
    for (long size2 : new long[] {0, 1, 7}) {
      MalformedInputException e = assertThrows(MalformedInputException.class,
          () -> MerkleProofs.verifyConsistency(0, size2, List.of(), empty, empty));
      assertEquals(MalformedInputException.Problem.BAD_TREE_ARGUMENT, e.problem());
    }
  }

  @Test
  void equalSizesAboveZeroNeedAnEmptyProofAndEqualRoots() throws Exception {
    Sha256Hash leaf = Rfc6962.leafHash(new byte[] {1});
    MerkleProofs.verifyConsistency(1, 1, List.of(), leaf, leaf);
    assertThrows(VerificationFailedException.class,
        () -> MerkleProofs.verifyConsistency(1, 1, List.of(leaf), leaf, leaf));
    assertThrows(VerificationFailedException.class,
        () -> MerkleProofs.verifyConsistency(1, 1, List.of(), leaf, Rfc6962.emptyRoot()));
  }
}
