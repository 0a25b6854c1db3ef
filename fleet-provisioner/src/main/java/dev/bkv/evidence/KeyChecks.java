package dev.bkv.evidence;

import dev.bkv.crypto.EcdsaP256;
import dev.bkv.crypto.Sha256;
import dev.bkv.pkcs11.AesKey;
import dev.bkv.pkcs11.EcPrivateKey;
import dev.bkv.pkcs11.HmacKey;
import dev.bkv.pkcs11.HsmException;
import dev.bkv.pkcs11.Pkcs11Token;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Public values and fingerprints of fleet keys, computed in the HSM. Secret keys get a key check
 * value that reveals nothing usable: the SHA-256 of an HSM output over a fixed input.
 */
public final class KeyChecks {
  private static final byte[] KCV_INPUT = "bkv key check value v1".getBytes(StandardCharsets.US_ASCII);

  private KeyChecks() {}

  /**
   * The value of {@code key} of key space {@code space} ({@link FleetKey#space}) on
   * {@code token}; an EC key is also checked against its point.
   */
  public static FleetKeyValue value(Pkcs11Token token, String space, FleetKey key)
      throws HsmException {
    String label = key.label(space);
    return switch (key.type()) {
      case EC_P256 -> {
        EcPrivateKey k = token.keys().findEcP256(label);
        byte[] point = k.publicKey().point();
        requireMatchesPoint(k, point);
        yield new FleetKeyValue(label, key.type().name(), HexFormat.of().formatHex(point),
            Sha256.hex(point), "sha256-point");
      }
      case GENERIC_SECRET -> {
        HmacKey k = token.keys().findHmacKey(label);
        yield new FleetKeyValue(label, key.type().name(), null, Sha256.hex(k.sign(KCV_INPUT)),
            "kcv-hmac-sha256");
      }
      case AES -> {
        AesKey k = token.keys().findAes(label);
        byte[] out = k.encryptGcm(new byte[AesKey.IV_BYTES], new byte[32], KCV_INPUT);
        yield new FleetKeyValue(label, key.type().name(), null, Sha256.hex(out), "kcv-aes-256-gcm");
      }
      default -> throw new IllegalStateException("no check for " + key);
    };
  }

  /**
   * Checks in the HSM that the private key {@code k} belongs to {@code point}: {@code x(k·G)}
   * must equal the point's x (x-only ECDH cannot tell {@code k} from {@code -k}).
   */
  public static void requireMatchesPoint(EcPrivateKey k, byte[] point) throws HsmException {
    byte[] x = k.ecdhX(EcdsaP256.generator());
    try {
      if (!MessageDigest.isEqual(x, Arrays.copyOfRange(point, 1, 33))) {
        throw new HsmException("checking " + k + " against its public point",
            "x(k·G) differs from the public point's x; the token holds a different key");
      }
    } finally {
      Arrays.fill(x, (byte) 0);
    }
  }
}
