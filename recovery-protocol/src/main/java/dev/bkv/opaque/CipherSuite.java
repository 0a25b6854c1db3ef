package dev.bkv.opaque;

import java.util.Objects;

/**
 * OPAQUE-3DH configuration for suite P256-SHA256 (OPRF P-256, HKDF-SHA256, HMAC-SHA256,
 * SHA-256). The group and hashes are fixed; what varies between deployments is the context
 * string bound into the 3DH preamble and the key-stretching function.
 *
 * @param context application context (may be empty; the RFC vectors use "OPAQUE-POC")
 * @param ksf key-stretching function (identity for vectors, Argon2id for real clients)
 */
public record CipherSuite(byte[] context, Ksf ksf) {
  /** Nn: nonce length. */
  public static final int NONCE_LENGTH = 32;
  /** Nseed: seed length for DeriveDiffieHellmanKeyPair. */
  public static final int SEED_LENGTH = 32;
  /** Nm: MAC length. */
  public static final int MAC_LENGTH = 32;
  /** Npk / Noe: compressed point length. */
  public static final int POINT_LENGTH = 33;
  /** Nx / Nh: KDF and hash output length. */
  public static final int KEY_LENGTH = 32;

  public CipherSuite {
    Objects.requireNonNull(ksf, "ksf");
    context = Objects.requireNonNull(context, "context").clone();
    if (context.length > 0xffff) {
      throw new IllegalArgumentException("context is " + context.length + " bytes; max 65535");
    }
  }

  /**
   * Empty context and Argon2id with opaque-ke's default parameters (m = 19456 KiB, t = 2, p = 1;
   * {@link Argon2idKsf#opaqueKeDefault()}): interoperates with an opaque-ke peer for P-256 that
   * uses {@code Argon2::default()} and no context. It does <em>not</em> interoperate with
   * serenity-kit/opaque's default ("memory-constrained": m = 65536, t = 3, p = 4, and
   * ristretto255). Other parameters: {@code new CipherSuite(context, Argon2idKsf.of(m, t, p))}.
   *
   * <p>A bkv fleet's default context is {@code bkv/v1} ({@code node.opaque-context}), not empty:
   * an opaque-ke client of such a fleet must pass the same context (its {@code
   * ClientLoginFinishParameters} context), or the fleet must be run with an empty one.
   */
  public static CipherSuite standard() {
    return new CipherSuite(new byte[0], Argon2idKsf.opaqueKeDefault());
  }

  @Override
  public byte[] context() {
    return context.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CipherSuite c && java.util.Arrays.equals(context, c.context)
        && ksf.equals(c.ksf);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(context) * 31 + ksf.hashCode();
  }

  @Override
  public String toString() {
    return "CipherSuite[P256-SHA256, context=" + context.length + " bytes, ksf=" + ksf + "]";
  }
}
