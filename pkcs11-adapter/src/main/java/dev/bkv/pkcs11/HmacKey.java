package dev.bkv.pkcs11;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKM_SHA256_HMAC;

import dev.bkv.pkcs11.internal.Involved;
import dev.bkv.pkcs11.internal.TokenCore;
import java.security.MessageDigest;
import org.xipki.pkcs11.wrapper.Mechanism;

/** A 32-byte generic secret used for HMAC-SHA256 ({@code CKM_SHA256_HMAC}). */
public final class HmacKey extends HsmKey {
  private final String macWhat;

  HmacKey(TokenCore core, String label, byte[] id, long handle) {
    super(core, ObjectClass.SECRET_KEY, KeyType.GENERIC_SECRET, label, id, handle);
    this.macWhat = "HMAC-SHA256 with " + this;
  }

  /** HMAC-SHA256 of {@code data}, 32 bytes. */
  public byte[] sign(byte[] data) throws HsmException {
    byte[] d = data.clone();
    return withHandle(macWhat, (s, h) -> {
      if (d.length == 0) { // C_Sign rejects empty input with CKR_ARGUMENTS_BAD
        s.signInit(Involved.mechanism(CKM_SHA256_HMAC), h);
        return s.signFinal();
      }
      return s.signSingle(Involved.mechanism(CKM_SHA256_HMAC), h, d);
    });
  }

  /** Whether {@code mac} is the HMAC-SHA256 of {@code data}; compared in constant time. */
  public boolean verify(byte[] data, byte[] mac) throws HsmException {
    byte[] expected = sign(data);
    try {
      return mac != null && MessageDigest.isEqual(expected, mac);
    } finally {
      java.util.Arrays.fill(expected, (byte) 0);
    }
  }
}
