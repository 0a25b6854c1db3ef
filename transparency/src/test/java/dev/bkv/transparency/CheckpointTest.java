package dev.bkv.transparency;

import static dev.bkv.transparency.SignedNotesTest.assertProblem;
import static dev.bkv.transparency.SignedNotesTest.assertReason;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckpointTest {

  static final String ROOT = "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=";
  final SecureRandom random = new SecureRandom(new byte[] {4});

  @Test
  void parsesTheSpecExampleAndReformatsIt() throws Exception {
    String text = "example.com/behind-the-sofa\n20852163\n" + ROOT + "\n";
    Checkpoint c = Checkpoint.parse(text);
    assertEquals("example.com/behind-the-sofa", c.origin());
    assertEquals(20852163L, c.size());
    assertEquals(ROOT, c.root().toBase64());
    assertEquals(List.of(), c.extensions());
    assertEquals(text, c.toText());
  }

  @Test
  void parsesTheRekorCheckpointBody() throws Exception {
    Checkpoint c = Checkpoint.parse("Rekor\n798034\nf+7CoKgXKE/tNys9TTXcr/ad6U/K3xvznmzew9y6SP0=\n");
    assertEquals(798034L, c.size());
  }

  @Test
  void extensionLinesRoundTrip() throws Exception {
    String text = "o\n0\n" + Rfc6962.emptyRoot().toBase64() + "\nTimestamp: 1\n— x\n";
    Checkpoint c = Checkpoint.parse(text);
    assertEquals(List.of("Timestamp: 1", "— x"), c.extensions());
    assertEquals(text, c.toText());
  }

  @Test
  void malformedBodiesAreRejectedWithReasons() {
    for (String bad : List.of("o\n1\n" + ROOT, "o\n1\n", "o\n01\n" + ROOT + "\n",
        "o\n-1\n" + ROOT + "\n", "o\n+1\n" + ROOT + "\n", "o\n 1\n" + ROOT + "\n",
        "o\n99999999999999999999\n" + ROOT + "\n", "o\n1\nAAAA\n", "o\n1\n" + ROOT + "\n\n",
        "\n1\n" + ROOT + "\n", "o\n1\n" + ROOT.replace("=", "") + "\n",
        "o\n1\n" + ROOT + "\n\next\n")) {
      assertProblem(MalformedInputException.Problem.MALFORMED_CHECKPOINT, () -> Checkpoint.parse(bad));
    }
  }

  @Test
  void signedCheckpointOpensOnlyForTheRightOriginAndKey() throws Exception {
    Ed25519NoteSigner log = Ed25519NoteSigner.generate("log.example/a", random);
    Ed25519NoteSigner other = Ed25519NoteSigner.generate("log.example/b", random);
    MerkleTree tree = new MerkleTree();
    tree.append("x".getBytes(StandardCharsets.UTF_8));
    Checkpoint c = new Checkpoint("log.example/a", 1, tree.root());
    byte[] note = c.sign(List.of(log)).toBytes();
    assertEquals(c, Checkpoint.open(note, "log.example/a", List.of(log.verifierKey().verifier())));
    assertReason(VerificationFailedException.Reason.ORIGIN_MISMATCH, () -> Checkpoint.open(note,
        "log.example/b", List.of(log.verifierKey().verifier())));
    assertReason(VerificationFailedException.Reason.NO_TRUSTED_SIGNATURE, () -> Checkpoint.open(
        note, "log.example/a", List.of(other.verifierKey().verifier())));
  }

  @Test
  void forkRollbackAndEquivocationAreInconsistent() throws Exception {
    MerkleTree a = new MerkleTree();
    MerkleTree fork = new MerkleTree();
    for (int i = 0; i < 9; i++) {
      a.append(new byte[] {(byte) i});
      fork.append(new byte[] {(byte) (i < 3 ? i : 100 + i)});
    }
    Checkpoint stored = new Checkpoint("o", 5, a.root(5));
    Checkpoint good = new Checkpoint("o", 9, a.root());
    stored.verifyExtendedBy(good, a.consistencyProof(5, 9).hashes());
    new Checkpoint("o", 0, Rfc6962.emptyRoot()).verifyExtendedBy(good, List.of());
    stored.verifyExtendedBy(stored, List.of());

    Checkpoint forked = new Checkpoint("o", 9, fork.root());
    assertReason(VerificationFailedException.Reason.INCONSISTENT_TREE,
        () -> stored.verifyExtendedBy(forked, fork.consistencyProof(5, 9).hashes()));
    assertReason(VerificationFailedException.Reason.INCONSISTENT_TREE,
        () -> stored.verifyExtendedBy(forked, a.consistencyProof(5, 9).hashes()));
    assertReason(VerificationFailedException.Reason.INCONSISTENT_TREE,
        () -> good.verifyExtendedBy(stored, List.of()));
    Checkpoint sameSizeOtherRoot = new Checkpoint("o", 9, fork.root());
    assertReason(VerificationFailedException.Reason.INCONSISTENT_TREE,
        () -> good.verifyExtendedBy(sameSizeOtherRoot, List.of()));
    List<Sha256Hash> truncated = a.consistencyProof(5, 9).hashes().subList(0, 1);
    assertReason(VerificationFailedException.Reason.INCONSISTENT_TREE,
        () -> stored.verifyExtendedBy(good, truncated));
    assertReason(VerificationFailedException.Reason.ORIGIN_MISMATCH,
        () -> stored.verifyExtendedBy(new Checkpoint("p", 9, a.root()), List.of()));
  }
}
