package dev.bkv.transparency;

import dev.bkv.transparency.internal.NoteSyntax;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;

/**
 * One signature line of a signed note: {@code — <name> base64(keyId || signature)}.
 *
 * @param name the key name
 * @param keyId the 32-bit key ID (big-endian on the wire)
 * @param signature the signature bytes after the key ID (at least one byte)
 */
public record NoteSignature(String name, int keyId, byte[] signature) {

  /** The signature line prefix: em dash U+2014 and a space. */
  public static final String PREFIX = "\u2014 ";

  public NoteSignature {
    if (!NoteSyntax.isValidKeyName(name)) {
      throw new IllegalArgumentException("invalid key name " + name);
    }
    if (signature.length == 0) {
      throw new IllegalArgumentException("empty signature by " + name);
    }
    signature = signature.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  /** base64(keyId || signature), the last field of the line. */
  public String base64() {
    return Base64.getEncoder().encodeToString(
        ByteBuffer.allocate(4 + signature.length).putInt(keyId).put(signature).array());
  }

  /** The full line including the final newline. */
  public String toLine() {
    return PREFIX + name + " " + base64() + "\n";
  }

  /** {@code name+keyid}, how keys are named in messages and in verifier keys. */
  public String keyLabel() {
    return name + "+" + NoteSyntax.keyIdHex(keyId);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NoteSignature s && s.name.equals(name) && s.keyId == keyId
        && Arrays.equals(s.signature, signature);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + keyId * 17 + Arrays.hashCode(signature);
  }

  @Override
  public String toString() {
    return "NoteSignature[" + keyLabel() + "]";
  }
}
