package dev.bkv.transparency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MerkleTreeTest {

  /**
   * The eight leaves behind the transparency-dev vectors (the classic RFC 6962 reference leaves);
   * the test below proves it by recomputing the vectors' roots from them.
   */
  static final String[] REFERENCE_LEAVES = {"", "00", "10", "2021", "3031", "40414243",
      "5051525354555657", "606162636465666768696a6b6c6d6e6f"};

  static MerkleTree referenceTree() {
    MerkleTree tree = new MerkleTree();
    for (String hex : REFERENCE_LEAVES) {
      tree.append(HexFormat.of().parseHex(hex));
    }
    return tree;
  }

  @Test
  void emptyRootIsSha256OfNothing() throws Exception {
    assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        new MerkleTree().root().toHex());
  }

  @Test
  void referenceRootOfEightLeaves() throws Exception {
    assertEquals("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
        referenceTree().root().toHex());
  }

  /** Our proof generation must reproduce the published happy-path proofs hash for hash. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.bkv.transparency.MerkleVectorsTest#inclusionHappyPaths")
  void generatedInclusionMatchesVector(MerkleVectorsTest.Vector v) throws Exception {
    JsonNode j = v.json();
    MerkleTree tree = referenceTree();
    long size = j.get("treeSize").asLong();
    assertEquals(MerkleVectorsTest.hash(j.get("root")), tree.root(size));
    assertEquals(MerkleVectorsTest.hash(j.get("leafHash")), tree.leafHash(j.get("leafIdx").asLong()));
    InclusionProof proof = tree.inclusionProof(j.get("leafIdx").asLong(), size);
    assertEquals(MerkleVectorsTest.hashes(j.get("proof")), proof.hashes());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.bkv.transparency.MerkleVectorsTest#consistencyHappyPaths")
  void generatedConsistencyMatchesVector(MerkleVectorsTest.Vector v) throws Exception {
    JsonNode j = v.json();
    MerkleTree tree = referenceTree();
    long size1 = j.get("size1").asLong();
    long size2 = j.get("size2").asLong();
    assertEquals(MerkleVectorsTest.hash(j.get("root1")), tree.root(size1));
    assertEquals(MerkleVectorsTest.hash(j.get("root2")), tree.root(size2));
    assertEquals(MerkleVectorsTest.hashes(j.get("proof")),
        tree.consistencyProof(size1, size2).hashes());
  }

  /** Every proof for every pair of sizes up to 70 verifies, and fails once any hash is altered. */
  @Test
  void allProofsUpTo70LeavesVerifyAndDetectTampering() throws Exception {
    MerkleTree tree = new MerkleTree();
    for (int i = 0; i < 70; i++) {
      tree.append(("entry " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    int checked = 0;
    for (long n = 1; n <= 70; n++) {
      Sha256Hash root = tree.root(n);
      for (long i = 0; i < n; i++) {
        InclusionProof p = tree.inclusionProof(i, n);
        p.verify(tree.leafHash(i), root);
        for (int k = 0; k < p.hashes().size(); k++) {
          InclusionProof bad = new InclusionProof(i, n, flip(p.hashes(), k));
          Sha256Hash leaf = tree.leafHash(i);
          assertThrows(VerificationFailedException.class, () -> bad.verify(leaf, root));
        }
        checked++;
      }
      for (long m = 1; m <= n; m++) {
        ConsistencyProof c = tree.consistencyProof(m, n);
        c.verify(tree.root(m), root);
        if (m < n) {
          ConsistencyProof bad = new ConsistencyProof(m, n, flip(c.hashes(), 0));
          Sha256Hash old = tree.root(m);
          assertThrows(VerificationFailedException.class, () -> bad.verify(old, root));
        }
        checked++;
      }
    }
    assertEquals(2 * (70 * 71 / 2), checked);
  }

  @Test
  void proofsAreRejectedAgainstTheWrongTree() throws Exception {
    MerkleTree tree = referenceTree();
    InclusionProof p = tree.inclusionProof(3, 8);
    VerificationFailedException e = assertThrows(VerificationFailedException.class,
        () -> MerkleProofs.verifyInclusion(tree.leafHash(3), 3, 7, p.hashes(), tree.root(7)));
    assertNotEquals(null, e.reason());
    MalformedInputException out = assertThrows(MalformedInputException.class, () -> tree.root(9));
    assertEquals(MalformedInputException.Problem.BAD_TREE_ARGUMENT, out.problem());
    assertThrows(MalformedInputException.class, () -> tree.consistencyProof(0, 8));
    assertThrows(MalformedInputException.class, () -> tree.inclusionProof(8, 8));
  }

  static List<Sha256Hash> flip(List<Sha256Hash> hashes, int k) {
    List<Sha256Hash> out = new ArrayList<>(hashes);
    byte[] b = out.get(k).bytes();
    b[0] ^= 1;
    out.set(k, new Sha256Hash(b));
    return out;
  }
}
