package dev.bkv.opaque;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id (RFC 9106, version 0x13) as opaque-ke uses it for its {@code Ksf}: the OPRF output
 * is the password, the salt is 16 zero bytes, and the output is as long as the input (32 bytes
 * for P256-SHA256). The parameters are the app's choice, and must never change for a user: a
 * record registered under one set opens under no other.
 *
 * <ul>
 *   <li>{@link #opaqueKeDefault()} is opaque-ke's {@code Argon2::default()} (the Rust {@code
 *       argon2} crate's defaults: m = 19456 KiB, t = 2, p = 1): an opaque-ke peer built with
 *       {@code Ksf = Argon2<'static>} and no parameters derives the same keys.
 *   <li>serenity-kit/opaque's default key stretching, "memory-constrained", is m = 65536 KiB,
 *       t = 3, p = 4: <em>not</em> the above. Its default build also uses ristretto255, not
 *       P-256; a P-256 build of it with that preset needs {@code Argon2idKsf.of(65536, 3, 4)}
 *       here.
 *   <li>{@link #of} (or the constructor) takes any other parameters, e.g. RFC 9106's second
 *       recommendation {@code of(65536, 3, 4)} or something lighter for old phones.
 * </ul>
 *
 * @param memoryKiB memory cost in KiB
 * @param iterations time cost
 * @param parallelism lanes
 */
public record Argon2idKsf(int memoryKiB, int iterations, int parallelism) implements Ksf {
  /** opaque-ke's salt: {@code [0u8; 16]} (the argon2 crate's recommended salt length). */
  private static final byte[] SALT = new byte[16];

  public Argon2idKsf {
    if (memoryKiB < 8 * parallelism || iterations < 1 || parallelism < 1) {
      throw new IllegalArgumentException("Argon2id parameters m=" + memoryKiB + " t=" + iterations
          + " p=" + parallelism + " are invalid; need t >= 1, p >= 1, m >= 8p");
    }
  }

  /** m = 19456 KiB (19 MiB), t = 2, p = 1: the Rust argon2 crate's default, used by opaque-ke. */
  public static Argon2idKsf opaqueKeDefault() {
    return new Argon2idKsf(19 * 1024, 2, 1);
  }

  /**
   * Explicit parameters: {@code m} in KiB, {@code t} passes, {@code p} lanes (need t ≥ 1, p ≥ 1,
   * m ≥ 8p). Client and records must agree on them for the record's whole life.
   */
  public static Argon2idKsf of(int memoryKiB, int iterations, int parallelism) {
    return new Argon2idKsf(memoryKiB, iterations, parallelism);
  }

  @Override
  public byte[] stretch(byte[] oprfOutput) {
    Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withMemoryAsKB(memoryKiB)
        .withIterations(iterations)
        .withParallelism(parallelism)
        .withSalt(SALT)
        .build();
    Argon2BytesGenerator gen = new Argon2BytesGenerator();
    gen.init(params);
    byte[] out = new byte[oprfOutput.length];
    gen.generateBytes(oprfOutput, out);
    return out;
  }
}
