package dev.bkv.transparency;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/** A 32-byte SHA-256 value: a Merkle tree node, leaf hash or root. Compared in constant time. */
public record Sha256Hash(byte[] bytes) {

  public static final int LENGTH = 32;

  /** Use {@link #of(byte[])} for untrusted input; this constructor is for values known good. */
  public Sha256Hash {
    if (bytes == null || bytes.length != LENGTH) {
      throw new IllegalArgumentException(
          "hash is " + (bytes == null ? "null" : bytes.length + " bytes") + "; expected 32");
    }
    bytes = bytes.clone();
  }

  /** Wraps untrusted bytes, rejecting anything that is not exactly 32 bytes. */
  public static Sha256Hash of(byte[] bytes) throws MalformedInputException {
    if (bytes == null || bytes.length != LENGTH) {
      throw new MalformedInputException(MalformedInputException.Problem.BAD_HASH,
          "hash is " + (bytes == null ? "missing" : bytes.length + " bytes") + "; expected 32");
    }
    return new Sha256Hash(bytes);
  }

  /** Decodes standard padded base64 (RFC 4648 section 4) of exactly 32 bytes. */
  public static Sha256Hash ofBase64(String base64) throws MalformedInputException {
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new MalformedInputException(MalformedInputException.Problem.BAD_HASH,
          "hash \"" + base64 + "\" is not valid base64", e);
    }
    if (!Base64.getEncoder().encodeToString(raw).equals(base64)) {
      throw new MalformedInputException(MalformedInputException.Problem.BAD_HASH,
          "hash \"" + base64 + "\" is not canonical padded base64");
    }
    return of(raw);
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The internal array, never to be modified or handed out; for hashing code only. */
  byte[] internalBytes() {
    return bytes;
  }

  public String toBase64() {
    return Base64.getEncoder().encodeToString(bytes);
  }

  public String toHex() {
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Sha256Hash other && MessageDigest.isEqual(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return toBase64();
  }
}
