package dev.bkv.transparency;

/**
 * Size limits applied before any signature work. The C2SP spec asks verifiers to accept at least
 * 16 signatures; Go's sumdb/note accepts up to 100.
 *
 * @param maxBytes largest accepted note, in bytes
 * @param maxSignatures most signature lines accepted
 */
public record NoteLimits(int maxBytes, int maxSignatures) {

  /** 1 MiB and 100 signatures, the same signature cap as Go's sumdb/note. */
  public static final NoteLimits DEFAULT = new NoteLimits(1 << 20, 100);

  public NoteLimits {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes is " + maxBytes + "; expected >= 1");
    }
    if (maxSignatures < 16) {
      throw new IllegalArgumentException(
          "maxSignatures is " + maxSignatures + "; the spec requires accepting at least 16");
    }
  }
}
