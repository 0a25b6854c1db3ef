package dev.bkv.node.store;

import dev.bkv.crypto.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The summands of one record's OPRF key (DESIGN §10), each wrapped under the group wrap key of
 * its share set, with its public point. Opaque to the store except for two rules: set names are
 * distinct, and no wrapped summand may ever be committed twice ({@link #digests}).
 *
 * <p>Wire format: u32 count, then per share: set name (UTF-8), public point (65 bytes,
 * uncompressed), wrapped private key; each a u32-length byte string.
 */
public record KeyShares(List<Share> shares) {
  /** Enough for every share set of a 9-member fleet (C(9,4) = 126). */
  public static final int MAX_SHARES = 126;
  public static final int POINT_LENGTH = 65;
  public static final int MIN_WRAPPED = 16;
  public static final int MAX_WRAPPED = 512;
  /** Digests kept to refuse reuse: the first 16 bytes of SHA-256 of the wrapped summand. */
  public static final int DIGEST_LENGTH = 16;
  public static final KeyShares NONE = new KeyShares(List.of());
  private static final Pattern SET_NAME = Pattern.compile("-|[A-Za-z0-9_-]{1,64}(\\+[A-Za-z0-9_-]{1,64}){0,7}");

  /** One summand: the set whose wrap key opens it, its public point and its wrapped private key. */
  public record Share(String set, byte[] publicKey, byte[] wrapped) {
    public Share {
      if (set == null || !SET_NAME.matcher(set).matches()) {
        throw new IllegalArgumentException("share set name '" + set
            + "' is invalid; expected '-' or member ids joined with '+'");
      }
      if (publicKey == null || publicKey.length != POINT_LENGTH || publicKey[0] != 0x04) {
        throw new IllegalArgumentException("public point of share '" + set + "' is "
            + (publicKey == null ? "null" : publicKey.length + " bytes") + "; expected "
            + POINT_LENGTH + " bytes, uncompressed");
      }
      if (wrapped == null || wrapped.length < MIN_WRAPPED || wrapped.length > MAX_WRAPPED) {
        throw new IllegalArgumentException("wrapped share '" + set + "' is "
            + (wrapped == null ? "null" : wrapped.length + " bytes") + "; expected "
            + MIN_WRAPPED + ".." + MAX_WRAPPED);
      }
      publicKey = publicKey.clone();
      wrapped = wrapped.clone();
    }

    @Override
    public byte[] publicKey() {
      return publicKey.clone();
    }

    @Override
    public byte[] wrapped() {
      return wrapped.clone();
    }

    /** The reuse digest of this summand. */
    public byte[] digest() {
      return java.util.Arrays.copyOf(Sha256.hash(wrapped), DIGEST_LENGTH);
    }
  }

  public KeyShares {
    Objects.requireNonNull(shares, "shares");
    if (shares.size() > MAX_SHARES) {
      throw new IllegalArgumentException(shares.size() + " key shares; expected at most "
          + MAX_SHARES);
    }
    Set<String> sets = new HashSet<>();
    Set<String> digests = new HashSet<>();
    for (Share s : shares) {
      if (!sets.add(s.set())) {
        throw new IllegalArgumentException("share set '" + s.set() + "' appears twice");
      }
      if (!digests.add(java.util.HexFormat.of().formatHex(s.digest()))) {
        throw new IllegalArgumentException("share '" + s.set() + "' repeats another wrapped summand");
      }
    }
    shares = List.copyOf(shares);
  }

  public boolean isEmpty() {
    return shares.isEmpty();
  }

  public Optional<Share> share(String set) {
    return shares.stream().filter(s -> s.set().equals(set)).findFirst();
  }

  /** The reuse digests of every summand. */
  public List<byte[]> digests() {
    return shares.stream().map(Share::digest).toList();
  }

  public byte[] toBytes() {
    WireWriter w = new WireWriter();
    write(w);
    return w.toBytes();
  }

  void write(WireWriter w) {
    w.u32(shares.size());
    for (Share s : shares) {
      w.bytes(s.set().getBytes(StandardCharsets.UTF_8)).bytes(s.publicKey).bytes(s.wrapped);
    }
  }

  static KeyShares read(WireReader r) throws MalformedMessageException {
    int n = r.u32("key share count", 0, MAX_SHARES);
    List<Share> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String set = new String(r.bytes("share set name", 1, 600), StandardCharsets.UTF_8);
      byte[] point = r.bytes("share public point", POINT_LENGTH, POINT_LENGTH);
      byte[] wrapped = r.bytes("wrapped share", MIN_WRAPPED, MAX_WRAPPED);
      try {
        out.add(new Share(set, point, wrapped));
      } catch (IllegalArgumentException e) {
        throw new MalformedMessageException(e.getMessage());
      }
    }
    try {
      return new KeyShares(out);
    } catch (IllegalArgumentException e) {
      throw new MalformedMessageException(e.getMessage());
    }
  }

  public static KeyShares parse(byte[] data) throws MalformedMessageException {
    WireReader r = new WireReader("key shares", data);
    KeyShares k = read(r);
    r.end();
    return k;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyShares k && java.util.Arrays.equals(toBytes(), k.toBytes());
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(toBytes());
  }

  @Override
  public String toString() {
    return "KeyShares" + shares.stream().map(Share::set).toList();
  }
}
