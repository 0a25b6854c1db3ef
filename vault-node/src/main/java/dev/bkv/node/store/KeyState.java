package dev.bkv.node.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a record holds for its per-user OPRF key (DESIGN §10).
 *
 * @param shares the key's summands, wrapped; empty for records made before key shares existed
 * @param resetKey the record's reset key (65-byte uncompressed P-256 point) or empty: only its
 *     signature gives the record its attempts back
 * @param attempts the attempts committed since the record's last reset, oldest first, each with
 *     the blinded element it may be evaluated on (at most the attempt limit: one more locks)
 * @param lifetimeAttempts attempts committed on this version over its whole life
 */
public record KeyState(KeyShares shares, byte[] resetKey, List<Attempt> attempts,
    int lifetimeAttempts) {
  public static final int RESET_KEY_LENGTH = 65;
  public static final KeyState NONE = new KeyState(KeyShares.NONE, new byte[0], List.of(), 0);

  /** A committed attempt: its log index and SHA-256 of its blinded element. */
  public record Attempt(long index, byte[] element) {
    public Attempt {
      if (index < 0 || element == null || element.length != 32) {
        throw new IllegalArgumentException("an attempt has a log index >= 0 and a 32-byte "
            + "element digest");
      }
      element = element.clone();
    }

    @Override
    public byte[] element() {
      return element.clone();
    }
  }

  public KeyState {
    Objects.requireNonNull(shares, "shares");
    resetKey = checkResetKey(resetKey);
    attempts = List.copyOf(Objects.requireNonNull(attempts, "attempts"));
    if (attempts.size() > UserRecord.MAX_LIMIT || lifetimeAttempts < 0) {
      throw new IllegalArgumentException(attempts.size() + " attempts kept, lifetime "
          + lifetimeAttempts + "; expected at most " + UserRecord.MAX_LIMIT + " and >= 0");
    }
  }

  /** A new record version's state: its shares and reset key, no attempts yet. */
  public static KeyState fresh(KeyShares shares, byte[] resetKey) {
    return new KeyState(shares, resetKey, List.of(), 0);
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

  /** The attempt committed at {@code index} since the last reset, if any. */
  public Optional<Attempt> attempt(long index) {
    return attempts.stream().filter(a -> a.index() == index).findFirst();
  }

  /** The latest attempt's index, or -1. */
  public long lastAttempt() {
    return attempts.isEmpty() ? -1 : attempts.get(attempts.size() - 1).index();
  }

  /** After the attempt committed at {@code index} on {@code element} (empty: not kept). */
  KeyState afterAttempt(long index, byte[] element) {
    List<Attempt> next = new ArrayList<>(attempts);
    if (element.length != 0) {
      next.add(new Attempt(index, element));
      while (next.size() > UserRecord.MAX_LIMIT) {
        next.remove(0);
      }
    }
    return new KeyState(shares, resetKey, next, lifetimeAttempts + 1);
  }

  /** After a proven reset: no attempts pending. */
  KeyState afterReset() {
    return new KeyState(shares, resetKey, List.of(), lifetimeAttempts);
  }

  boolean isNone() {
    return shares.isEmpty() && resetKey.length == 0 && attempts.isEmpty()
        && lifetimeAttempts == 0;
  }

  void write(WireWriter w) {
    shares.write(w);
    w.bytes(resetKey).u32(attempts.size());
    for (Attempt a : attempts) {
      w.u64(a.index()).bytes(a.element);
    }
    w.u32(lifetimeAttempts);
  }

  static KeyState read(WireReader r) throws MalformedMessageException {
    KeyShares shares = KeyShares.read(r);
    byte[] resetKey = r.bytes("reset key", 0, RESET_KEY_LENGTH);
    int n = r.u32("attempt count", 0, UserRecord.MAX_LIMIT);
    List<Attempt> attempts = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      attempts.add(new Attempt(r.nonNegative("attempt index"), r.bytes("attempt element", 32,
          32)));
    }
    int lifetime = r.u32("lifetime attempts", 0, Integer.MAX_VALUE);
    try {
      return new KeyState(shares, resetKey, attempts, lifetime);
    } catch (IllegalArgumentException e) {
      throw new MalformedMessageException("key state: " + e.getMessage());
    }
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof KeyState k) || !shares.equals(k.shares)
        || !java.util.Arrays.equals(resetKey, k.resetKey) || lifetimeAttempts != k.lifetimeAttempts
        || attempts.size() != k.attempts.size()) {
      return false;
    }
    for (int i = 0; i < attempts.size(); i++) {
      Attempt a = attempts.get(i);
      Attempt b = k.attempts.get(i);
      if (a.index() != b.index() || !java.util.Arrays.equals(a.element, b.element)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return Objects.hash(shares, java.util.Arrays.hashCode(resetKey), attempts.size(),
        lifetimeAttempts);
  }
}
