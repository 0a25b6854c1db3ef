package dev.bkv.opaque.bench;

import dev.bkv.ec.P256;
import dev.bkv.ec.Point;
import dev.bkv.ec.Scalar;
import dev.bkv.opaque.ServerKeys;
import dev.bkv.opaque.SoftwareServerKeys;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Server-side login cost with in-memory keys: KE1 → KE2 (OPRF evaluation, 3DH, key schedule)
 * and KE1 → KE2 + KE3 verification, plus one raw P-256 scalar multiplication as the unit of
 * comparison.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ServerLoginBenchmark {
  ServerKeys keys;
  LoginFixture fixture;
  Point point;
  Scalar scalar;

  @Setup
  public void setup() throws Exception {
    SecureRandom rng = new SecureRandom();
    keys = SoftwareServerKeys.generate(rng);
    fixture = new LoginFixture(keys);
    scalar = Scalar.random(rng);
    point = P256.multiplyGenerator(Scalar.random(rng));
  }

  @Benchmark
  public Object serverKe1ToKe2() throws Exception {
    return fixture.ke2(keys);
  }

  @Benchmark
  public Object serverKe1ToKe3Verified() throws Exception {
    return fixture.ke2AndVerifyKe3(keys);
  }

  @Benchmark
  public Object rawScalarMultiply() {
    return point.multiply(scalar);
  }
}
