package dev.bkv.client;

import static dev.bkv.bundle.BundleException.Reason.BAD_COSIGNER_SIGNATURE;
import static dev.bkv.bundle.BundleException.Reason.BAD_COUNTERSIGNATURE;
import static dev.bkv.bundle.BundleException.Reason.EXPIRED;
import static dev.bkv.bundle.BundleException.Reason.MALFORMED;
import static dev.bkv.bundle.BundleException.Reason.NOT_YET_VALID;
import static dev.bkv.bundle.BundleException.Reason.ROLLBACK;
import static dev.bkv.bundle.BundleException.Reason.UNKNOWN_KEY;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.bundle.BundleException;
import dev.bkv.bundle.ClientState;
import dev.bkv.bundle.Cosigner;
import dev.bkv.bundle.CosignedBundle;
import dev.bkv.bundle.EquivocationException;
import dev.bkv.bundle.ValidationBundle;
import dev.bkv.bundle.testing.BundleFixture;
import dev.bkv.ec.P256;
import dev.bkv.ec.Point;
import dev.bkv.recovery.BadInputException;
import dev.bkv.transparency.EcdsaNoteSigner;
import dev.bkv.transparency.Ed25519NoteSigner;
import dev.bkv.transparency.Note;
import dev.bkv.transparency.NoteLimits;
import dev.bkv.transparency.NoteSignature;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link BundleTrustAnchor} over bundles signed by the project's cosigner and countersigned by
 * an operator key: epoch 1 and 2 name different fleet AKE keys (a key rotation).
 */
class BundleTrustAnchorTest {

  /** Inside both epochs' validity windows (epoch 1: T0+1d..+31d, epoch 2: T0+2d..+32d). */
  static final Instant NOW = BundleFixture.T0.plusSeconds(10 * 86400);

  @TempDir Path dir;
  BundleFixture s;
  List<BundleFixture.Fleet> fleets = new ArrayList<>();
  List<ValidationBundle> bundles = new ArrayList<>();
  List<byte[]> published = new ArrayList<>();
  Path state;
  MovableClock clock = new MovableClock(NOW);

  @BeforeEach
  void publishTwoEpochs() throws Exception {
    s = new BundleFixture(7);
    try (Cosigner c = s.cosigner(dir.resolve("log"))) {
      ValidationBundle prev = null;
      for (int e = 1; e <= 2; e++) {
        BundleFixture.Fleet f = s.fleet(2);
        prev = BundleFixture.bundle(f, e, prev);
        fleets.add(f);
        bundles.add(prev);
        published.add(s.publish(c, f, prev).toJson());
      }
    }
    state = dir.resolve("app/bundle-state.json");
  }

  static Point point(String hex) throws BadInputException {
    return P256.decodePoint(HexFormat.of().parseHex(hex));
  }

  static Point ake(BundleFixture.Fleet f) throws BadInputException {
    return point(f.ake());
  }

  BundleTrustAnchor.Builder anchor() {
    return BundleTrustAnchor.builder(s.cosignerKey.verifierKey(), s.operatorKey.verifierKey())
        .clock(clock).stateFile(state).log(dir.resolve("log"));
  }

  static void assertRejected(BundleException.Reason reason, String messagePart, Executable a) {
    BundleException e = assertThrows(BundleException.class, a);
    assertEquals(reason, e.reason(), e.getMessage());
    assertTrue(e.getMessage().contains(messagePart), e.getMessage());
  }

  @Test
  void acceptsTheBundleAndTrustsExactlyItsFleetKey() throws Exception {
    BundleTrustAnchor one = anchor().accept(published.get(0));
    assertEquals(bundles.get(0), one.bundle());
    one.verify(ake(fleets.get(0)));
    assertEquals(1, ClientState.read(state).epoch(), "state stored after acceptance");

    BundleTrustAnchor two = anchor().accept(published.get(1));
    two.verify(ake(fleets.get(1)));
    assertEquals(2, ClientState.read(state).epoch());
    assertEquals(two.state(), ClientState.read(state));
    UntrustedFleetException rotated = assertThrows(UntrustedFleetException.class,
        () -> two.verify(ake(fleets.get(0))));
    assertTrue(rotated.getMessage().contains("fleet " + BundleFixture.FLEET + " epoch 2"), rotated.getMessage());
  }

  @Test
  void theAcceptedBundleVouchesForThePreviousEpochByItsPrevHash() throws Exception {
    BundleTrustAnchor two = anchor().accept(published.get(1));
    byte[] prevText = bundles.get(0).toText().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    TrustAnchor previous = two.previousEpoch(prevText);
    previous.verify(ake(fleets.get(0)));
    assertThrows(UntrustedFleetException.class, () -> previous.verify(ake(fleets.get(1))));
    byte[] altered = bundles.get(0).toText().replace("epoch 1", "epoch 1 ")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    BundleException e = assertThrows(BundleException.class, () -> two.previousEpoch(altered));
    assertTrue(e.getMessage().contains("is not the prev"), e.getMessage());
    BundleTrustAnchor one = anchor().lastSeen(null).accept(published.get(0));
    assertThrows(BundleException.class, () -> one.previousEpoch(prevText),
        "epoch 1 has no previous epoch");
  }

  @Test
  void refusesAServerKeyTheBundleDoesNotName() throws Exception {
    BundleTrustAnchor anchor = anchor().accept(published.get(0));
    Point impostor = point(s.point());
    UntrustedFleetException e = assertThrows(UntrustedFleetException.class,
        () -> anchor.verify(impostor));
    assertTrue(e.getMessage().contains(HexFormat.of().formatHex(impostor.toCompressed()))
        && e.getMessage().contains(HexFormat.of().formatHex(ake(fleets.get(0)).toCompressed())),
        e.getMessage());
  }

  @Test
  void refusesAnExpiredOrNotYetValidBundleAndKeepsTheState() throws Exception {
    anchor().accept(published.get(0));
    byte[] before = Files.readAllBytes(state);
    clock.set(bundles.get(1).notAfter().plus(Duration.ofMinutes(5)).plusSeconds(1));
    assertRejected(EXPIRED, "bundle of epoch 2 expired at " + bundles.get(1).notAfter(),
        () -> anchor().accept(published.get(1)));
    clock.set(BundleFixture.T0);
    assertRejected(NOT_YET_VALID, "valid from", () -> anchor().accept(published.get(1)));
    assertArrayEquals(before, Files.readAllBytes(state), "a refused bundle changes no state");
  }

  @Test
  void anAcceptedBundleStopsBeingTrustedWhenItExpires() throws Exception {
    BundleTrustAnchor anchor = anchor().skew(Duration.ZERO).accept(published.get(0));
    clock.set(bundles.get(0).notAfter());
    anchor.verify(ake(fleets.get(0)));
    clock.set(bundles.get(0).notAfter().plusSeconds(1));
    UntrustedFleetException e = assertThrows(UntrustedFleetException.class,
        () -> anchor.verify(ake(fleets.get(0))));
    assertTrue(e.getMessage().contains("accept a current bundle"), e.getMessage());
  }

  @Test
  void refusesARolledBackBundle() throws Exception {
    anchor().accept(published.get(1));
    assertRejected(ROLLBACK, "bundle epoch 1 is below epoch 2",
        () -> anchor().accept(published.get(0)));
    assertEquals(2, ClientState.read(state).epoch());

    ClientState kept = BundleTrustAnchor.builder(s.cosignerKey.verifierKey(),
        s.operatorKey.verifierKey()).clock(clock).lastSeen(null).accept(published.get(1)).state();
    assertRejected(ROLLBACK, "rollback", () -> BundleTrustAnchor.builder(
        s.cosignerKey.verifierKey(), s.operatorKey.verifierKey()).clock(clock).lastSeen(kept)
        .accept(published.get(0)));
  }

  @Test
  void refusesABadCosignature() throws Exception {
    CosignedBundle b = CosignedBundle.parse(published.get(0));
    Note note = b.parsedNote();
    NoteSignature sig = note.signatures().get(0);
    byte[] flipped = sig.signature();
    flipped[10] ^= 1;
    CosignedBundle badSig = withNote(b, new Note(note.text(),
        List.of(new NoteSignature(sig.name(), sig.keyId(), flipped))));
    assertRejected(BAD_COSIGNER_SIGNATURE, "cosigner signature on the bundle does not verify",
        () -> anchor().accept(badSig.toJson()));

    String otherKey = s.point();
    CosignedBundle swappedKey = withNote(b, new Note(note.text().replace(
        bundles.get(0).akeKey(), otherKey), note.signatures()));
    assertRejected(BAD_COSIGNER_SIGNATURE, "does not verify",
        () -> anchor().accept(swappedKey.toJson()));
    assertFalse(Files.exists(state), "nothing accepted, nothing stored");
  }

  @Test
  void refusesKeysOtherThanThePinnedOnes() throws Exception {
    Ed25519NoteSigner otherCosigner = Ed25519NoteSigner.generate("cosigner.test/log", s.random);
    assertRejected(UNKNOWN_KEY, "not signed by the pinned cosigner key", () -> BundleTrustAnchor
        .builder(otherCosigner.verifierKey(), s.operatorKey.verifierKey()).clock(clock)
        .lastSeen(null).accept(published.get(0)));
    EcdsaNoteSigner otherOperator = EcdsaNoteSigner.generate("operator.other", s.random);
    assertRejected(UNKNOWN_KEY, "countersignature is by operator.test", () -> BundleTrustAnchor
        .builder(s.cosignerKey.verifierKey(), otherOperator.verifierKey()).clock(clock)
        .lastSeen(null).accept(published.get(0)));
    CosignedBundle one = CosignedBundle.parse(published.get(0));
    CosignedBundle crossed = one.withCountersignature(
        CosignedBundle.parse(published.get(1)).parsedCountersignature());
    assertRejected(BAD_COUNTERSIGNATURE, "does not verify over the cosigner signature",
        () -> anchor().accept(crossed.toJson()));
  }

  @Test
  void reportsEquivocationWithBothSignedNotes() throws Exception {
    anchor().accept(published.get(0));
    BundleFixture.Fleet rival = s.fleet(2);
    CosignedBundle forked;
    try (Cosigner fork = s.cosigner(dir.resolve("fork"))) {
      forked = s.publish(fork, rival, BundleFixture.bundle(rival, 1, null));
    }
    byte[] forkedJson = forked.toJson();
    EquivocationException e = assertThrows(EquivocationException.class,
        () -> anchor().accept(forkedJson));
    assertEquals(1, e.epoch());
    assertEquals(List.of(CosignedBundle.parse(published.get(0)).note(), forked.note()),
        e.signedNotes());
  }

  @Test
  void malformedInputAndAMissingStateChoice() throws Exception {
    assertRejected(MALFORMED, "not valid JSON", () -> anchor().accept(
        "not json".getBytes(StandardCharsets.UTF_8)));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> BundleTrustAnchor
        .builder(s.cosignerKey.verifierKey(), s.operatorKey.verifierKey()).clock(clock)
        .accept(published.get(0)));
    assertTrue(e.getMessage().contains("rolled-back"), e.getMessage());
    Files.createDirectories(state.getParent());
    Files.writeString(state, "{\"epoch\": 1}");
    assertRejected(MALFORMED, "state file", () -> anchor().accept(published.get(0)));
  }

  private static CosignedBundle withNote(CosignedBundle b, Note note) {
    return new CosignedBundle(b.format(), new String(note.toBytes(), StandardCharsets.UTF_8),
        b.index(), b.checkpoint(), b.inclusionProof(), b.countersignature());
  }

  /** A clock the test moves. */
  static final class MovableClock extends Clock {
    private volatile Instant now;

    MovableClock(Instant now) {
      this.now = now;
    }

    void set(Instant t) {
      now = t;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
