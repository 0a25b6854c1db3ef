package dev.bkv.node.store;

import java.util.Objects;

/**
 * What a record holds for its per-user OPRF key (DESIGN §10).
 *
 * @param shares the key's summands, wrapped; empty for records made before key shares existed
 * @param resetKey the record's reset key (65-byte uncompressed P-256 point) or empty: only its
 *     signature gives the record its attempts back
 * @param lastAttempt the log index of the latest committed attempt on this version, or -1
 * @param lastElement SHA-256 of the blinded element that attempt may be evaluated on, or empty
 * @param lifetimeAttempts attempts committed on this version over its whole life
 */
public record KeyState(KeyShares shares, byte[] resetKey, long lastAttempt, byte[] lastElement,
    int lifetimeAttempts) {
  public static final int RESET_KEY_LENGTH = 65;
  public static final KeyState NONE = new KeyState(KeyShares.NONE, new byte[0], -1, new byte[0], 0);

  public KeyState {
    Objects.requireNonNull(shares, "shares");
    resetKey = checkResetKey(resetKey);
    if (lastElement == null || (lastElement.length != 0 && lastElement.length != 32)) {
      throw new IllegalArgumentException("last element is "
          + (lastElement == null ? "null" : lastElement.length + " bytes") + "; expected 0 or 32");
    }
    if (lastAttempt < -1 || lifetimeAttempts < 0) {
      throw new IllegalArgumentException("last attempt " + lastAttempt + ", lifetime attempts "
          + lifetimeAttempts + "; expected >= -1 and >= 0");
    }
    lastElement = lastElement.clone();
  }

  /** A new record version's state: its shares and reset key, no attempts yet. */
  public static KeyState fresh(KeyShares shares, byte[] resetKey) {
    return new KeyState(shares, resetKey, -1, new byte[0], 0);
  }

  static byte[] checkResetKey(byte[] resetKey) {
    if (resetKey == null || (resetKey.length != 0
        && (resetKey.length != RESET_KEY_LENGTH || resetKey[0] != 0x04))) {
      throw new IllegalArgumentException("reset key is "
          + (resetKey == null ? "null" : resetKey.length + " bytes") + "; expected 0, or "
          + RESET_KEY_LENGTH + " bytes (an uncompressed P-256 point)");
    }
    return resetKey.clone();
  }

  @Override
  public byte[] resetKey() {
    return resetKey.clone();
  }

  @Override
  public byte[] lastElement() {
    return lastElement.clone();
  }

  /** After the attempt committed at {@code index} on {@code element}. */
  KeyState afterAttempt(long index, byte[] element) {
    return new KeyState(shares, resetKey, index, element, lifetimeAttempts + 1);
  }

  boolean isNone() {
    return shares.isEmpty() && resetKey.length == 0 && lastAttempt == -1
        && lifetimeAttempts == 0;
  }

  void write(WireWriter w) {
    shares.write(w);
    w.bytes(resetKey).u64(lastAttempt + 1).bytes(lastElement).u32(lifetimeAttempts);
  }

  static KeyState read(WireReader r) throws MalformedMessageException {
    KeyShares shares = KeyShares.read(r);
    byte[] resetKey = r.bytes("reset key", 0, RESET_KEY_LENGTH);
    long lastAttempt = r.nonNegative("last attempt") - 1;
    byte[] element = r.bytes("last element", 0, 32);
    int lifetime = r.u32("lifetime attempts", 0, Integer.MAX_VALUE);
    try {
      return new KeyState(shares, resetKey, lastAttempt, element, lifetime);
    } catch (IllegalArgumentException e) {
      throw new MalformedMessageException("key state: " + e.getMessage());
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyState k && shares.equals(k.shares)
        && java.util.Arrays.equals(resetKey, k.resetKey) && lastAttempt == k.lastAttempt
        && java.util.Arrays.equals(lastElement, k.lastElement)
        && lifetimeAttempts == k.lifetimeAttempts;
  }

  @Override
  public int hashCode() {
    return Objects.hash(shares, java.util.Arrays.hashCode(resetKey), lastAttempt,
        lifetimeAttempts);
  }
}
