package dev.bkv.bundle;

import static dev.bkv.bundle.BundleException.Reason.BAD_CHECKPOINT;
import static dev.bkv.bundle.BundleException.Reason.BAD_COSIGNER_SIGNATURE;
import static dev.bkv.bundle.BundleException.Reason.BAD_COUNTERSIGNATURE;
import static dev.bkv.bundle.BundleException.Reason.CONSISTENCY_UNAVAILABLE;
import static dev.bkv.bundle.BundleException.Reason.EXPIRED;
import static dev.bkv.bundle.BundleException.Reason.INCLUSION_PROOF;
import static dev.bkv.bundle.BundleException.Reason.INCONSISTENT_CHECKPOINT;
import static dev.bkv.bundle.BundleException.Reason.NOT_YET_VALID;
import static dev.bkv.bundle.BundleException.Reason.ROLLBACK;
import static dev.bkv.bundle.BundleException.Reason.UNKNOWN_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.bundle.testing.BundleFixture;
import dev.bkv.transparency.Checkpoint;
import dev.bkv.transparency.EcdsaNoteSigner;
import dev.bkv.transparency.Ed25519NoteSigner;
import dev.bkv.transparency.Note;
import dev.bkv.transparency.NoteLimits;
import dev.bkv.transparency.NoteSignature;
import dev.bkv.transparency.Sha256Hash;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class BundleVerifierTest {

  static final Instant NOW = BundleFixture.T0.plusSeconds(10 * 86400);

  @TempDir Path dir;
  BundleFixture f;
  BundleFixture.Fleet fleet;
  List<ValidationBundle> bundles = new ArrayList<>();
  List<CosignedBundle> published = new ArrayList<>();
  BundleVerifier verifier;

  @BeforeEach
  void publishThreeEpochs() throws Exception {
    f = new BundleFixture(20);
    fleet = f.fleet(2);
    try (Cosigner c = f.cosigner(dir.resolve("log"))) {
      ValidationBundle prev = null;
      for (int e = 1; e <= 3; e++) {
        BundleFixture.Fleet now = e == 3 ? new BundleFixture.Fleet(f.point(), fleet.members())
            : fleet;
        prev = BundleFixture.bundle(now, e, prev);
        bundles.add(prev);
        published.add(f.publish(c, now, prev));
      }
    }
    verifier = verifier(NOW, Duration.ofMinutes(5));
  }

  BundleVerifier verifier(Instant now, Duration skew) {
    return new BundleVerifier(f.cosignerKey.verifierKey(), f.operatorKey.verifierKey(),
        Clock.fixed(now, ZoneOffset.UTC), skew);
  }

  ConsistencySource log() {
    return ConsistencySource.fromLog(dir.resolve("log"), f.cosignerKey.verifierKey());
  }

  @Test
  void acceptsEpochsOneTwoThreeAndTracksState() throws Exception {
    ClientState state = null;
    for (int e = 0; e < 3; e++) {
      VerifiedBundle v = verifier.verify(published.get(e), state, log());
      assertEquals(bundles.get(e), v.bundle());
      state = v.state();
      assertEquals(e + 1, state.epoch());
    }
    VerifiedBundle same = verifier.verify(published.get(2), state, null);
    assertEquals(state, same.state(), "the same bundle again changes nothing");
    Path file = dir.resolve("state.json");
    state.write(file);
    assertEquals(state, ClientState.read(file));
    assertNull(ClientState.read(dir.resolve("absent.json")));
  }

  void assertRejected(BundleException.Reason reason, Executable action) {
    BundleException e = assertThrows(BundleException.class, action);
    assertEquals(reason, e.reason(), e.getMessage());
  }

  @Test
  void badCosignerSignature() throws Exception {
    CosignedBundle b = published.get(0);
    String note = b.note();
    int at = note.indexOf("\n\n") - 5;
    String altered = note.substring(0, at) + (note.charAt(at) == 'a' ? 'b' : 'a')
        + note.substring(at + 1);
    assertRejected(BAD_COSIGNER_SIGNATURE, () -> verifier.verify(new CosignedBundle(b.format(),
        altered, b.index(), b.checkpoint(), b.inclusionProof(), b.countersignature()), null, null));
  }

  @Test
  void countersignatureOverAnotherCosignerSignature() throws Exception {
    CosignedBundle one = published.get(0);
    CosignedBundle two = published.get(1);
    CosignedBundle swapped = one.withCountersignature(two.parsedCountersignature());
    assertRejected(BAD_COUNTERSIGNATURE, () -> verifier.verify(swapped, null, null));
    CosignedBundle none = new CosignedBundle(one.format(), one.note(), one.index(),
        one.checkpoint(), one.inclusionProof(), null);
    assertRejected(BAD_COUNTERSIGNATURE, () -> verifier.verify(none, null, null));
  }

  @Test
  void wrongPinnedKeysAndRoles() throws Exception {
    EcdsaNoteSigner stranger = EcdsaNoteSigner.generate("operator.test", f.random);
    BundleVerifier wrongOperator = new BundleVerifier(f.cosignerKey.verifierKey(),
        stranger.verifierKey(), Clock.fixed(NOW, ZoneOffset.UTC), Duration.ZERO);
    assertRejected(UNKNOWN_KEY, () -> wrongOperator.verify(published.get(0), null, null));
    BundleVerifier swappedRoles = new BundleVerifier(f.operatorKey.verifierKey(),
        f.cosignerKey.verifierKey(), Clock.fixed(NOW, ZoneOffset.UTC), Duration.ZERO);
    assertRejected(UNKNOWN_KEY, () -> swappedRoles.verify(published.get(0), null, null));
  }

  @Test
  void validityWindowWithSkew() throws Exception {
    ValidationBundle one = bundles.get(0);
    assertRejected(EXPIRED, () -> verifier(one.notAfter().plusSeconds(301), Duration.ofMinutes(5))
        .verify(published.get(0), null, null));
    verifier(one.notAfter().plusSeconds(299), Duration.ofMinutes(5))
        .verify(published.get(0), null, null);
    assertRejected(NOT_YET_VALID, () -> verifier(one.notBefore().minusSeconds(1), Duration.ZERO)
        .verify(published.get(0), null, null));
  }

  @Test
  void rollbackBelowState() throws Exception {
    ClientState state = verifier.verify(published.get(1), null, null).state();
    assertRejected(ROLLBACK, () -> verifier.verify(published.get(0), state, log()));
  }

  @Test
  void alteredOrTruncatedInclusionProof() throws Exception {
    CosignedBundle b = published.get(1);
    List<String> altered = new ArrayList<>(b.inclusionProof());
    altered.set(0, new Sha256Hash(new byte[32]).toBase64());
    assertRejected(INCLUSION_PROOF, () -> verifier.verify(new CosignedBundle(b.format(), b.note(),
        b.index(), b.checkpoint(), altered, b.countersignature()), null, null));
    List<String> truncated = b.inclusionProof().subList(0, b.inclusionProof().size() - 1);
    assertRejected(INCLUSION_PROOF, () -> verifier.verify(new CosignedBundle(b.format(),
        b.note(), b.index(), b.checkpoint(), truncated, b.countersignature()), null, null));
    assertRejected(INCLUSION_PROOF, () -> verifier.verify(new CosignedBundle(b.format(),
        b.note(), 0, b.checkpoint(), b.inclusionProof(), b.countersignature()), null, null));
  }

  @Test
  void checkpointNotByTheCosigner() throws Exception {
    CosignedBundle b = published.get(1);
    Checkpoint cp = Checkpoint.parse(b.checkpoint().substring(0,
        b.checkpoint().indexOf("\n\n") + 1));
    Ed25519NoteSigner impostor = Ed25519NoteSigner.generate("cosigner.test/log", f.random);
    String forged = new String(cp.sign(List.of(impostor)).toBytes(), StandardCharsets.UTF_8);
    assertRejected(BAD_CHECKPOINT, () -> verifier.verify(new CosignedBundle(b.format(), b.note(),
        b.index(), forged, b.inclusionProof(), b.countersignature()), null, null));
    Note real = Note.parse(b.checkpoint().getBytes(StandardCharsets.UTF_8), NoteLimits.DEFAULT);
    byte[] sig = real.signatures().get(0).signature();
    sig[0] ^= 1;
    String flipped = new String(new Note(real.text(), List.of(new NoteSignature(
        real.signatures().get(0).name(), real.signatures().get(0).keyId(), sig))).toBytes(),
        StandardCharsets.UTF_8);
    assertRejected(BAD_CHECKPOINT, () -> verifier.verify(new CosignedBundle(b.format(), b.note(),
        b.index(), flipped, b.inclusionProof(), b.countersignature()), null, null));
  }

  @Test
  void noteWithTrailingOrMissingNewlineAndBadFilesAreMalformed() throws Exception {
    CosignedBundle b = published.get(0);
    for (String note : List.of(b.note() + "\n", b.note().substring(0, b.note().length() - 1))) {
      assertRejected(BundleException.Reason.MALFORMED, () -> verifier.verify(new CosignedBundle(
          b.format(), note, b.index(), b.checkpoint(), b.inclusionProof(),
          b.countersignature()), null, null));
    }
    assertRejected(BundleException.Reason.MALFORMED, () -> CosignedBundle.parse(
        "{\"format\":\"x\"}".getBytes(StandardCharsets.UTF_8)));
    assertRejected(BundleException.Reason.MALFORMED, () -> CosignedBundle.parse(
        new String(b.toJson(), StandardCharsets.UTF_8).replace("\"index\"", "\"extra\" : 1,"
            + " \"index\"").getBytes(StandardCharsets.UTF_8)));
    Path state = dir.resolve("state.json");
    java.nio.file.Files.writeString(state, "{\"epoch\": 1}");
    assertRejected(BundleException.Reason.MALFORMED, () -> ClientState.read(state));
  }

  @Test
  void equivocationIsItsOwnError() throws Exception {
    ClientState state = verifier.verify(published.get(0), null, null).state();
    BundleFixture.Fleet rival = f.fleet(2);
    ValidationBundle other = BundleFixture.bundle(rival, 1, null);
    CosignedBundle forked;
    try (Cosigner fork = f.cosigner(dir.resolve("fork"))) {
      forked = f.publish(fork, rival, other);
    }
    EquivocationException e = assertThrows(EquivocationException.class,
        () -> verifier.verify(forked, state, null));
    assertEquals(1, e.epoch());
    assertTrue(e.getMessage().contains(other.hash().toHex()), e.getMessage());
    assertEquals(List.of(published.get(0).note(), forked.note()), e.signedNotes(),
        "the two signed notes are the proof");
  }

  @Test
  void checkpointInconsistentWithTheStoredOne() throws Exception {
    ClientState state = verifier.verify(published.get(1), null, null).state();
    CosignedBundle forkedThree;
    Path fork = dir.resolve("fork");
    try (Cosigner c = f.cosigner(fork)) {
      f.publish(c, fleet, bundles.get(0));
      BundleFixture.Fleet rival = f.fleet(2);
      ValidationBundle two = BundleFixture.bundle(rival, 2, bundles.get(0));
      f.publish(c, rival, two);
      BundleFixture.Fleet third = f.fleet(2);
      forkedThree = f.publish(c, third, BundleFixture.bundle(third, 3, two));
    }
    assertRejected(INCONSISTENT_CHECKPOINT, () -> verifier.verify(forkedThree, state,
        ConsistencySource.fromLog(fork, f.cosignerKey.verifierKey())));
    assertRejected(CONSISTENCY_UNAVAILABLE, () -> verifier.verify(published.get(2), state, null));
    verifier.verify(published.get(2), state, log());
  }
}
