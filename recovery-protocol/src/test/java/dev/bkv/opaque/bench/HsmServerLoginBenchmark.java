package dev.bkv.opaque.bench;

import dev.bkv.ec.P256;
import dev.bkv.ec.Scalar;
import dev.bkv.opaque.HsmServerKeys;
import dev.bkv.pkcs11.EcPrivateKey;
import dev.bkv.pkcs11.KeySpec;
import dev.bkv.pkcs11.KeyUsage;
import dev.bkv.pkcs11.Pkcs11Token;
import dev.bkv.pkcs11.testing.SoftHsmTokens;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Server-side login with {@link HsmServerKeys} on a SoftHSM2 token (token-generated fleet keys),
 * and the raw x-only ECDH it is built from. A login costs 1 HMAC and 4 ECDH on the token.
 * Needs SOFTHSM2_CONF / BKV_SOFTHSM_MODULE (scripts/bench/protocol sets them).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HsmServerLoginBenchmark {
  /** Per-thread login inputs, so several threads can share the token. */
  @State(Scope.Thread)
  public static class Inputs {
    LoginFixture fixture;

    @Setup(Level.Trial)
    public void prepare(HsmServerLoginBenchmark shared) throws Exception {
      fixture = new LoginFixture(shared.keys);
    }
  }

  Pkcs11Token token;
  HsmServerKeys keys;
  EcPrivateKey rawKey;
  byte[] peer;

  @Setup(Level.Trial)
  public void open() throws Exception {
    token = Pkcs11Token.open(SoftHsmTokens.create("bench"));
    String id = "bench";
    token.keys().generateHmacKey(KeySpec.of("fleet/" + id + "/oprf-seed", KeyUsage.SIGN));
    token.keys().generateEcP256(KeySpec.of("fleet/" + id + "/oprf", KeyUsage.DERIVE));
    rawKey = token.keys().generateEcP256(KeySpec.of("fleet/" + id + "/ake", KeyUsage.DERIVE));
    keys = HsmServerKeys.open(token, id);
    peer = P256.multiplyGenerator(Scalar.random(new SecureRandom())).toUncompressed();
  }

  @TearDown(Level.Trial)
  public void close() {
    token.close();
  }

  @Benchmark
  public Object hsmServerKe1ToKe2(Inputs in) throws Exception {
    return in.fixture.ke2(keys);
  }

  @Benchmark
  public Object hsmServerKe1ToKe3Verified(Inputs in) throws Exception {
    return in.fixture.ke2AndVerifyKe3(keys);
  }

  @Benchmark
  public byte[] hsmRawEcdh() throws Exception {
    return rawKey.ecdhX(peer);
  }
}
