package dev.bkv.node.service;

import dev.bkv.ec.P256;
import dev.bkv.ec.Point;
import dev.bkv.ec.Scalar;
import dev.bkv.pkcs11.HsmException;
import dev.bkv.pkcs11.KeySpec;
import dev.bkv.pkcs11.KeyUsage;
import dev.bkv.pkcs11.Pkcs11Token;
import dev.bkv.pkcs11.PublicValue;
import dev.bkv.pkcs11.RsaPrivateKey;
import dev.bkv.recovery.BadInputException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.SecureRandom;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.nio.charset.StandardCharsets;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import dev.bkv.evidence.ShareLayout;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

/**
 * <b>Development only.</b> Puts the same four fleet keys ({@code fleet/<id>/oprf}, {@code
 * oprf-seed}, {@code ake}, {@code record}) on member tokens from secrets generated in software,
 * so tests and the demo can run a fleet without the provisioning ceremony. The secrets exist
 * outside any HSM while this runs — exactly what the real ceremony ({@code bkv fleet
 * provision}) avoids. The imported keys are sensitive and non-extractable; the AES record key
 * is imported by OAEP-unwrapping it with a throwaway RSA key generated on the token.
 */
public final class DevFleetKeys {
  private DevFleetKeys() {}

  /** 4 × 32 secret bytes: OPRF scalar, AKE scalar, oprf_seed, record key. Hex on disk. */
  public record Secrets(byte[] bytes) {
    public Secrets {
      if (bytes == null || bytes.length != 128) {
        throw new IllegalArgumentException("fleet secrets are "
            + (bytes == null ? 0 : bytes.length) + " bytes; expected 128");
      }
      bytes = bytes.clone();
    }

    public static Secrets generate(SecureRandom rng) {
      byte[] b = new byte[128];
      System.arraycopy(Scalar.random(rng).encode(), 0, b, 0, 32);
      System.arraycopy(Scalar.random(rng).encode(), 0, b, 32, 32);
      byte[] rest = new byte[64];
      rng.nextBytes(rest);
      System.arraycopy(rest, 0, b, 64, 64);
      return new Secrets(b);
    }

    public static Secrets fromHex(String hex) {
      return new Secrets(HexFormat.of().parseHex(hex.trim()));
    }

    public String toHex() {
      return HexFormat.of().formatHex(bytes);
    }

    byte[] part(int i) {
      return Arrays.copyOfRange(bytes, 32 * i, 32 * i + 32);
    }

    /** The AKE public key these secrets give (what clients pin). */
    public Point akePublicKey() throws BadInputException {
      return P256.multiplyGenerator(Scalar.decodeNonZero(part(1)));
    }

    @Override
    public String toString() {
      return "Secrets[redacted]";
    }
  }

  /** Whether the token already holds this fleet's keys (checks the record key's label). */
  public static boolean present(Pkcs11Token token, String fleetId) throws HsmException {
    return token.keys().exists("fleet/" + fleetId + "/record");
  }

  /** Imports the four keys; returns the AKE public key. */
  public static Point importInto(Pkcs11Token token, String fleetId, Secrets s)
      throws HsmException, GeneralSecurityException {
    String p = "fleet/" + fleetId + "/";
    Point oprf = P256.multiplyGenerator(Scalar.decodeNonZero(s.part(0)));
    Point ake = s.akePublicKey();
    token.keys().importEcP256(KeySpec.of(p + "oprf", KeyUsage.DERIVE), s.part(0),
        new PublicValue.EcP256(oprf.toUncompressed()));
    token.keys().importEcP256(KeySpec.of(p + "ake", KeyUsage.DERIVE), s.part(1),
        new PublicValue.EcP256(ake.toUncompressed()));
    token.keys().importHmacKey(KeySpec.of(p + "oprf-seed", KeyUsage.SIGN), s.part(2));
    byte[] record = s.part(3);
    try {
      importAes(token, record, KeySpec.of(p + "record", KeyUsage.ENCRYPT, KeyUsage.DECRYPT));
    } finally {
      Arrays.fill(record, (byte) 0);
    }
    return ake;
  }

  /**
   * Imports the group wrap keys {@code member} holds in {@code layout} (DESIGN §10), each
   * derived from the secrets and the set's name, so every member of a development fleet that
   * holds a set gets the same key. Returns how many were imported.
   */
  public static int importShareKeys(Pkcs11Token token, ShareLayout layout, String member,
      Secrets s) throws HsmException, GeneralSecurityException {
    int n = 0;
    for (ShareLayout.ShareSet set : layout.heldBy(member)) {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(s.part(2), "HmacSHA256"));
      byte[] value = mac.doFinal(("bkv development share wrap key\n" + set.name())
          .getBytes(StandardCharsets.UTF_8));
      try {
        importAes(token, value, KeySpec.of(layout.label(set), KeyUsage.WRAP, KeyUsage.UNWRAP));
      } finally {
        Arrays.fill(value, (byte) 0);
      }
      n++;
    }
    return n;
  }

  /** Puts an AES key on the token by OAEP-unwrapping it with a throwaway RSA key made there. */
  private static void importAes(Pkcs11Token token, byte[] value, KeySpec spec)
      throws HsmException, GeneralSecurityException {
    RsaPrivateKey transport = token.keys().generateRsa(
        KeySpec.of("dev/transport", KeyUsage.UNWRAP).sessionOnly(), 2048);
    try {
      PublicValue.Rsa pub = transport.publicKey();
      Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
      c.init(Cipher.ENCRYPT_MODE, KeyFactory.getInstance("RSA").generatePublic(
          new RSAPublicKeySpec(pub.modulus(), pub.publicExponent())),
          new OAEPParameterSpec("SHA-1", "MGF1", MGF1ParameterSpec.SHA1,
              PSource.PSpecified.DEFAULT));
      transport.unwrapAes(c.doFinal(value), spec);
    } finally {
      transport.destroy();
    }
  }
}
