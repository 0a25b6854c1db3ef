package dev.bkv.client;

import static dev.bkv.bundle.BundleException.Reason.MISSING_COSIGNATURES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.bundle.BundleException;
import dev.bkv.bundle.ClientState;
import dev.bkv.bundle.CosignedBundle;
import dev.bkv.bundle.Cosigner;
import dev.bkv.bundle.ValidationBundle;
import dev.bkv.bundle.testing.BundleFixture;
import dev.bkv.transparency.LogCosignatures;
import dev.bkv.transparency.Note;
import dev.bkv.transparency.NoteLimits;
import dev.bkv.transparency.NoteSignature;
import dev.bkv.transparency.VerifierKey;
import dev.bkv.transparency.Witness;
import dev.bkv.transparency.WitnessPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link BundleTrustAnchor} with a witness policy: the bundle's checkpoint must carry valid
 * cosignatures by enough of the pinned witnesses.
 */
class BundleTrustAnchorWitnessTest {

  static final Instant NOW = BundleFixture.T0.plusSeconds(10 * 86400);

  @TempDir Path dir;
  BundleFixture s;
  Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  List<Witness> witnesses = new ArrayList<>();
  List<VerifierKey> keys = new ArrayList<>();
  byte[] unwitnessed;
  byte[] witnessed;
  Path state;

  @BeforeEach
  void publishAndCosign() throws Exception {
    s = new BundleFixture(11);
    Path log = dir.resolve("log");
    BundleFixture.Fleet f = s.fleet(2);
    ValidationBundle b = BundleFixture.bundle(f, 1, null);
    try (Cosigner c = s.cosigner(log)) {
      unwitnessed = s.publish(c, f, b).toJson();
    }
    for (int i = 1; i <= 3; i++) {
      Witness w = Witness.init(dir.resolve("w" + i), "w" + i + ".bkv.test", s.random, clock);
      witnesses.add(w);
      keys.add(w.verifierKey());
    }
    // witnesses 1 and 2 cosign the log's checkpoint; asking the cosigner again for the same
    // epoch then answers with the witnessed checkpoint
    LogCosignatures.add(log, witnesses.get(0).cosign(log, s.cosignerKey.verifierKey()).note());
    LogCosignatures.add(log, witnesses.get(1).cosign(log, s.cosignerKey.verifierKey()).note());
    try (Cosigner c = s.cosigner(log)) {
      witnessed = s.publish(c, f, b).toJson();
    }
    state = dir.resolve("app/state.json");
  }

  BundleTrustAnchor.Builder anchor(WitnessPolicy policy) {
    return BundleTrustAnchor.builder(s.cosignerKey.verifierKey(), s.operatorKey.verifierKey())
        .clock(clock).stateFile(state).witnesses(policy);
  }

  static void assertMissing(String part, org.junit.jupiter.api.function.Executable a) {
    BundleException e = assertThrows(BundleException.class, a);
    assertEquals(MISSING_COSIGNATURES, e.reason(), e.getMessage());
    assertTrue(e.getMessage().contains(part), e.getMessage());
  }

  @Test
  void enoughWitnessesAreAccepted() throws Exception {
    assertEquals(3, Note.parse(CosignedBundle.parse(witnessed).checkpoint()
        .getBytes(StandardCharsets.UTF_8), NoteLimits.DEFAULT).signatures().size());
    anchor(WitnessPolicy.of(keys, 2)).accept(witnessed);
    assertEquals(1, ClientState.read(state).epoch());
  }

  @Test
  void tooFewWitnessesAreRefusedAndNothingIsStored() throws Exception {
    assertMissing("2 valid cosignatures from 3 witnesses given", () ->
        anchor(WitnessPolicy.of(keys, 3)).accept(witnessed));
    assertMissing("0 valid cosignatures from 3 witnesses given; 1 required", () ->
        anchor(WitnessPolicy.of(keys, 1)).accept(unwitnessed));
    assertFalse(Files.exists(state));
  }

  @Test
  void theDefaultRequiresNoWitnessAndIgnoresTheirLines() throws Exception {
    BundleTrustAnchor.builder(s.cosignerKey.verifierKey(), s.operatorKey.verifierKey())
        .clock(clock).stateFile(state).accept(unwitnessed);
    assertEquals(1, ClientState.read(state).epoch());
    // the witnessed checkpoint (with lines by keys the client does not know) is accepted too,
    // and is stored and read back as the client's checkpoint
    BundleTrustAnchor.builder(s.cosignerKey.verifierKey(), s.operatorKey.verifierKey())
        .clock(clock).stateFile(state).accept(witnessed);
    assertTrue(ClientState.read(state).checkpoint().contains("\u2014 w1.bkv.test "));
    BundleTrustAnchor.builder(s.cosignerKey.verifierKey(), s.operatorKey.verifierKey())
        .clock(clock).stateFile(state).accept(unwitnessed);
  }

  @Test
  void duplicateCosignaturesFromOneWitnessCountOnce() throws Exception {
    CosignedBundle b = CosignedBundle.parse(witnessed);
    Note cp = Note.parse(b.checkpoint().getBytes(StandardCharsets.UTF_8), NoteLimits.DEFAULT);
    List<NoteSignature> sigs = new ArrayList<>(cp.signatures());
    sigs.add(cp.signatures().get(1));
    String doubled = new String(new Note(cp.text(), sigs).toBytes(), StandardCharsets.UTF_8);
    byte[] json = new CosignedBundle(b.format(), b.note(), b.index(), doubled,
        b.inclusionProof(), b.countersignature()).toJson();
    // witness 1 twice, witness 3 never: one of [w1, w3]
    assertMissing("1 valid cosignature from 2 witnesses given", () ->
        anchor(WitnessPolicy.of(List.of(keys.get(0), keys.get(2)), 2)).accept(json));
  }

  @Test
  void aWitnessKeyIsNeverTheCosignersKey() {
    assertThrows(IllegalArgumentException.class, () -> BundleTrustAnchor.builder(keys.get(0),
        s.operatorKey.verifierKey()).clock(clock).stateFile(state).accept(witnessed));
  }
}
