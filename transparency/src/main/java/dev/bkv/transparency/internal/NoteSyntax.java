package dev.bkv.transparency.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/** Character-level rules of C2SP signed-note shared by notes, keys and checkpoints. */
public final class NoteSyntax {

  private NoteSyntax() {}

  /**
   * A key name is non-empty, well-formed Unicode, and contains neither '+' nor any Unicode space
   * (the characters Go's unicode.IsSpace reports: ASCII white space, U+0085, and categories Zs,
   * Zl and Zp).
   */
  public static boolean isValidKeyName(String name) {
    if (name == null || name.isEmpty() || !isWellFormed(name)) {
      return false;
    }
    return name.codePoints().noneMatch(c -> c == '+' || isSpace(c) || c < 0x20);
  }

  static boolean isSpace(int c) {
    return c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r' || c == ' '
        || c == 0x85 || Character.isSpaceChar(c);
  }

  /** The offset of the first ASCII control character other than newline, or -1. */
  public static int firstControlCharacter(CharSequence s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 && c != '\n') {
        return i;
      }
    }
    return -1;
  }

  /** True when the string has no unpaired surrogates, so it encodes to valid UTF-8. */
  public static boolean isWellFormed(String s) {
    try {
      StandardCharsets.UTF_8.newEncoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .encode(CharBuffer.wrap(s));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  /** Strict UTF-8 decoding, or null when the bytes are not valid UTF-8. */
  public static String decodeUtf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** Strict standard base64 (RFC 4648 section 4, padded, canonical), or null. */
  public static byte[] decodeBase64(String s) {
    try {
      byte[] raw = Base64.getDecoder().decode(s);
      return Base64.getEncoder().encodeToString(raw).equals(s) ? raw : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Eight lowercase hex digits, as key IDs are written in verifier keys. */
  public static String keyIdHex(int keyId) {
    return String.format(Locale.ROOT, "%08x", keyId);
  }

  /** Printable form of a possibly hostile string for error messages: quoted, escaped, capped. */
  public static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    int limit = Math.min(s.length(), 80);
    for (int i = 0; i < limit; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\') {
        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append(s.length() > limit ? "\"…" : "\"").toString();
  }

  /**
   * The secret key text {@code PRIVATE+KEY+<name>+<key id>+base64(type || 32-byte key)}, with
   * {@code encode} writing the key at the given offset; the caller must wipe the array.
   */
  public static char[] secretKeyText(String name, int keyId, byte type,
      java.util.function.ObjIntConsumer<byte[]> encode) {
    byte[] material = new byte[33];
    material[0] = type;
    encode.accept(material, 1);
    String b64 = Base64.getEncoder().encodeToString(material);
    java.util.Arrays.fill(material, (byte) 0);
    String prefix = "PRIVATE+KEY+";
    CharBuffer out = CharBuffer.allocate(prefix.length() + name.length() + 10 + 44);
    out.put(prefix).put(name).put('+').put(keyIdHex(keyId)).put('+').put(b64);
    return java.util.Arrays.copyOf(out.array(), out.position());
  }
}
