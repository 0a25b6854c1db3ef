package dev.bkv.pkcs11;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.pkcs11.testing.SoftHsmTokens;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code CKA_EC_POINT} that imported P-256 public keys get on SoftHSM2, as OpenSC's
 * pkcs11-tool (a separate PKCS#11 client, not our wrapper, which strips DER on read) shows it:
 * exactly one DER OCTET STRING around the uncompressed point, {@code 04 41 04 x y} (PKCS#11
 * v2.40 §2.3.3), the bytes the token itself writes for a key it generated. The adapter's own
 * readers still return the bare point.
 */
class KeyImportsTest {
  private static final Pattern BLOCK = Pattern.compile(
      "Public Key Object; EC +EC_POINT (\\d+) bits\\n +EC_POINT: +([0-9a-f]+)\\n(?: +[^\\n]*\\n)*?"
          + " +label: +(\\S+)\\n");
  static SoftHsmTokens.TestToken created;
  static Pkcs11Token token;

  @BeforeAll
  static void open() throws Exception {
    created = SoftHsmTokens.createToken("imports");
    token = Pkcs11Token.open(created.config());
  }

  @AfterAll
  static void close() {
    token.close();
  }

  /** Key size pkcs11-tool reports, and the stored CKA_EC_POINT, of the EC public key object. */
  record Shown(int bits, byte[] ecPoint) {}

  /** Lists the token's public keys with pkcs11-tool; retries when its login collides with ours. */
  static Shown shown(String label) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(SoftHsmTokens.findOnPath("pkcs11-tool").toString(),
        "--module", created.config().module().toString(), "--token-label", created.label(),
        "--login", "--pin", created.userPin(), "--list-objects", "--type", "pubkey"));
    String out = "";
    for (int attempt = 0; attempt < 6; attempt++) {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.environment().put("SOFTHSM2_CONF", SoftHsmTokens.ensureConf().toString());
      Process p = pb.start();
      out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "pkcs11-tool timed out");
      if (!out.contains("CKR_GENERAL_ERROR")) {
        assertEquals(0, p.exitValue(), out);
        break;
      }
      Thread.sleep(50L << attempt);
    }
    Matcher m = BLOCK.matcher(out);
    while (m.find()) {
      if (m.group(3).equals(label)) {
        return new Shown(Integer.parseInt(m.group(1)), HexFormat.of().parseHex(m.group(2)));
      }
    }
    throw new AssertionError("no EC public key '" + label + "' in:\n" + out);
  }

  /** One DER OCTET STRING: tag 0x04, short-form length, the value. */
  static byte[] octetString(byte[] value) {
    byte[] out = new byte[value.length + 2];
    out[0] = 0x04;
    out[1] = (byte) value.length;
    System.arraycopy(value, 0, out, 2, value.length);
    return out;
  }

  static void assertOneOctetString(byte[] point, String label) throws Exception {
    Shown s = shown(label);
    HexFormat hex = HexFormat.of();
    assertEquals(hex.formatHex(octetString(point)), hex.formatHex(s.ecPoint()), label);
    assertEquals(256, s.bits(), label);
  }

  static byte[] freshPoint() throws Exception {
    return SoftEc.point((ECPublicKey) SoftEc.generate().getPublic());
  }

  @Test
  void generatedKeyIsTheReference() throws Exception {
    EcPrivateKey k = token.keys().generateEcP256(KeySpec.of("imports/generated", KeyUsage.SIGN));
    assertOneOctetString(k.publicKey().point(), "imports/generated");
  }

  @Test
  void importedPublicKey() throws Exception {
    byte[] point = freshPoint();
    PublicKeyObject o = token.keys().importPublicKey("imports/public", new byte[] {1, 2, 3},
        new PublicValue.EcP256(point));
    assertOneOctetString(point, "imports/public");
    assertEquals(new PublicValue.EcP256(point), o.info().publicValue());
    assertEquals(new PublicValue.EcP256(point),
        token.keys().findPublicKey("imports/public").value());
  }

  @Test
  void importedPrivateKeyWithItsPublicHalf() throws Exception {
    KeyPair kp = SoftEc.generate();
    byte[] point = SoftEc.point((ECPublicKey) kp.getPublic());
    BigInteger s = ((ECPrivateKey) kp.getPrivate()).getS();
    byte[] scalar = new byte[32];
    byte[] b = s.toByteArray();
    int n = Math.min(32, b.length);
    System.arraycopy(b, b.length - n, scalar, 32 - n, n);
    token.keys().importEcP256(KeySpec.of("imports/private", KeyUsage.DERIVE), scalar,
        new PublicValue.EcP256(point));
    assertOneOctetString(point, "imports/private");
    // Read from the token, not the value the import cached.
    assertArrayEquals(point, token.keys().findEcP256("imports/private").publicKey().point());
  }

  @Test
  void trustedPublicKey() throws Exception {
    byte[] point = freshPoint();
    token.asSecurityOfficer(so -> so.importTrustedPublicKey("imports/trusted", new byte[] {4, 5},
        new PublicValue.EcP256(point)));
    assertOneOctetString(point, "imports/trusted");
    assertEquals(new PublicValue.EcP256(point),
        token.keys().findPublicKey("imports/trusted").value());
  }
}
