package dev.bkv.transparency;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.junit.jupiter.api.Test;

/**
 * bkv's cosignatures against C2SP tlog-cosignature (Ed25519 cosignature/v1) as written here from
 * the spec text, with BouncyCastle's Ed25519 used directly: the key ID, the verifier key, the
 * signed message and the signature line bytes.
 */
class CosignatureV1SpecTest {

  private static final String NAME = "witness.example.com/w1";
  private static final String BODY = "example.com/behind-the-sofa\n20852163\n"
      + "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
  private static final long TIME = 1679315147L;
  private static final byte[] SEED = HexFormat.of().parseHex(
      "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");

  // --- the spec, written out here ---

  private static byte[] publicKey() {
    return new Ed25519PrivateKeyParameters(SEED, 0).generatePublicKey().getEncoded();
  }

  /** SHA-256(name || "\n" || 0x04 || 32-byte key)[:4]. */
  private static byte[] specKeyId(String name, byte[] pub) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    md.update(name.getBytes(StandardCharsets.UTF_8));
    md.update((byte) '\n');
    md.update((byte) 0x04);
    md.update(pub);
    return Arrays.copyOf(md.digest(), 4);
  }

  /** "cosignature/v1\n" || "time " decimal "\n" || checkpoint body. */
  private static byte[] specMessage(long time, String body) {
    return ("cosignature/v1\ntime " + time + "\n" + body).getBytes(StandardCharsets.UTF_8);
  }

  /** The note signature line: em dash, space, name, space, base64(keyID || u64 time || sig). */
  private static String specLine(long time, String body) throws Exception {
    byte[] msg = specMessage(time, body);
    Ed25519Signer s = new Ed25519Signer();
    s.init(true, new Ed25519PrivateKeyParameters(SEED, 0));
    s.update(msg, 0, msg.length);
    byte[] sig = s.generateSignature();
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    raw.write(specKeyId(NAME, publicKey()));
    raw.write(ByteBuffer.allocate(8).putLong(time).array());
    raw.write(sig);
    return "\u2014 " + NAME + " " + Base64.getEncoder().encodeToString(raw.toByteArray()) + "\n";
  }

  private static String specVkey() throws Exception {
    byte[] material = new byte[33];
    material[0] = 0x04;
    System.arraycopy(publicKey(), 0, material, 1, 32);
    return NAME + "+" + HexFormat.of().formatHex(specKeyId(NAME, publicKey())) + "+"
        + Base64.getEncoder().encodeToString(material);
  }

  private static Note logSigned() throws Exception {
    return SignedNotes.sign(BODY, List.of(Ed25519NoteSigner.fromSeed(
        "example.com/behind-the-sofa", new byte[32])));
  }

  private static Ed25519Cosigner bkvCosigner(long time) throws Exception {
    return Ed25519Cosigner.fromSeed(NAME, SEED,
        Clock.fixed(Instant.ofEpochSecond(time), ZoneOffset.UTC));
  }

  // --- the checks ---

  @Test
  void keyIdAndVerifierKeyAreTheSpecs() throws Exception {
    VerifierKey k = bkvCosigner(TIME).verifierKey();
    assertEquals(specVkey(), k.encode());
    assertEquals(ByteBuffer.wrap(specKeyId(NAME, publicKey())).getInt(), k.keyId());
    assertEquals(SignatureType.COSIGNATURE_V1, k.type());
    assertEquals(k, VerifierKey.parse(specVkey()));
  }

  @Test
  void bkvsCosignatureLineIsByteForByteTheSpecs() throws Exception {
    Note cosigned = SignedNotes.addSignatures(logSigned(), List.of(bkvCosigner(TIME)));
    assertEquals(2, cosigned.signatures().size());
    String line = cosigned.signatures().get(1).toLine();
    assertEquals(specLine(TIME, BODY), line);

    // and it verifies with the spec's message and BouncyCastle alone
    byte[] raw = Base64.getDecoder().decode(line.substring(line.lastIndexOf(' ') + 1).strip());
    assertEquals(4 + 8 + 64, raw.length);
    assertArrayEquals(specKeyId(NAME, publicKey()), Arrays.copyOf(raw, 4));
    assertEquals(TIME, ByteBuffer.wrap(raw, 4, 8).getLong());
    Ed25519Signer v = new Ed25519Signer();
    v.init(false, new Ed25519PublicKeyParameters(publicKey(), 0));
    byte[] msg = specMessage(TIME, BODY);
    v.update(msg, 0, msg.length);
    assertTrue(v.verifySignature(Arrays.copyOfRange(raw, 12, 76)));
  }

  @Test
  void bkvsVerifierAcceptsTheSpecsCosignatureAndNothingElse() throws Exception {
    long time = 1_700_000_000L;
    String note = new String(logSigned().toBytes(), StandardCharsets.UTF_8) + specLine(time, BODY);
    byte[] bytes = note.getBytes(StandardCharsets.UTF_8);
    VerifierKey w = VerifierKey.parse(specVkey());
    WitnessPolicy policy = WitnessPolicy.of(List.of(w), 1);
    assertEquals(List.of(NAME + "+" + HexFormat.of().formatHex(specKeyId(NAME, publicKey()))),
        policy.require(bytes).valid());

    Note parsed = Note.parse(bytes, NoteLimits.DEFAULT);
    byte[] sig = parsed.signatures().get(1).signature();
    byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
    assertTrue(w.verifier().verify(body, sig));
    byte[] otherTime = sig.clone();
    otherTime[7] ^= 1;
    assertFalse(w.verifier().verify(body, otherTime), "timestamp is signed");
    assertFalse(w.verifier().verify((BODY + "ext\n").getBytes(StandardCharsets.UTF_8), sig));
    byte[] negative = sig.clone();
    negative[0] = (byte) 0x80;
    assertFalse(w.verifier().verify(body, negative), "timestamps above 2^63-1 are refused");
    assertFalse(w.verifier().verify(body, Arrays.copyOf(sig, 64)), "64 bytes is not a cosig");
  }

  @Test
  void aPlainEd25519SignatureByTheSameKeyIsNoCosignature() throws Exception {
    // the same key pair used as a type 0x01 note key: another key ID, another message
    Ed25519NoteSigner plain = Ed25519NoteSigner.fromSeed(NAME, SEED);
    byte[] note = SignedNotes.addSignatures(logSigned(), List.of(plain)).toBytes();
    WitnessPolicy.Count c = WitnessPolicy.of(List.of(VerifierKey.parse(specVkey())), 1)
        .count(note);
    assertEquals(List.of(), c.valid());
    assertFalse(c.satisfied());
    // and a plain signature over the cosignature message under the 0x04 key ID is refused too
    byte[] msg = specMessage(TIME, BODY);
    byte[] edSig = plain.sign(msg);
    assertFalse(VerifierKey.parse(specVkey()).verifier().verify(
        BODY.getBytes(StandardCharsets.UTF_8), edSig));
  }

  @Test
  void aWitnessKeyNeverStandsInForTheLogsKey() throws Exception {
    Note cosigned = SignedNotes.addSignatures(logSigned(), List.of(bkvCosigner(TIME)));
    VerificationFailedException e = assertThrows(VerificationFailedException.class,
        () -> Checkpoint.open(cosigned.toBytes(), "example.com/behind-the-sofa",
            List.of(VerifierKey.parse(specVkey()).verifier())));
    assertEquals(VerificationFailedException.Reason.WRONG_KEY_ROLE, e.reason());
    assertTrue(e.getMessage().contains("cosignature key"), e.getMessage());
    // the log's key opens it and ignores the witness line
    VerifierKey logKey = Ed25519NoteSigner.fromSeed("example.com/behind-the-sofa", new byte[32])
        .verifierKey();
    assertEquals(20852163L, Checkpoint.open(cosigned.toBytes(), "example.com/behind-the-sofa",
        List.of(logKey.verifier())).size());
    MalformedInputException m = assertThrows(MalformedInputException.class,
        () -> WitnessPolicy.of(List.of(logKey), 1));
    assertTrue(m.getMessage().contains("type 0x04"), m.getMessage());
  }

  @Test
  void theSpecsExampleLineCarriesItsTimestamp() throws Exception {
    String example = "example.com/behind-the-sofa\n20852163\n"
        + "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n"
        + "\u2014 example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN"
        + "7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n"
        + "\u2014 witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB"
        + "9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n";
    Note n = Note.parse(example.getBytes(StandardCharsets.UTF_8), NoteLimits.DEFAULT);
    byte[] sig = n.signatures().get(1).signature();
    assertEquals(TIME, dev.bkv.transparency.internal.CosignatureV1.timestampOf(sig));
  }

  @Test
  void cosignerKeyTextRoundTripsAndIsNotANoteKey() throws Exception {
    Ed25519Cosigner c = bkvCosigner(TIME);
    char[] text = c.toSignerKey();
    assertTrue(new String(text).startsWith("PRIVATE+KEY+" + NAME + "+"));
    Ed25519Cosigner back = Ed25519Cosigner.fromSignerKey(new String(text), Clock.systemUTC());
    assertEquals(c.verifierKey(), back.verifierKey());
    assertThrows(MalformedInputException.class,
        () -> Ed25519NoteSigner.fromSignerKey(new String(text)));
    assertThrows(MalformedInputException.class, () -> Ed25519Cosigner.fromSignerKey(
        new String(Ed25519NoteSigner.fromSeed(NAME, SEED).toSignerKey()), Clock.systemUTC()));
  }
}
