package dev.bkv.opaque.bench;

import dev.bkv.ec.P256;
import dev.bkv.ec.Point;
import dev.bkv.ec.Scalar;
import dev.bkv.opaque.ClientLogin;
import dev.bkv.opaque.ClientRegistration;
import dev.bkv.opaque.CipherSuite;
import dev.bkv.opaque.Identities;
import dev.bkv.opaque.Ke1;
import dev.bkv.opaque.Ke3;
import dev.bkv.opaque.Ksf;
import dev.bkv.opaque.RegistrationRecord;
import dev.bkv.opaque.ServerKeys;
import dev.bkv.opaque.ServerLogin;
import dev.bkv.opaque.ServerRegistration;
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
 * and KE3 verification, plus raw P-256 scalar multiplication as the unit of comparison.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ServerLoginBenchmark {
  static final CipherSuite SUITE = new CipherSuite(new byte[0], Ksf.IDENTITY);
  static final byte[] CRED = "bench-user".getBytes();
  static final byte[] PASSWORD = "correct horse battery staple".getBytes();

  SecureRandom rng;
  ServerKeys keys;
  RegistrationRecord record;
  Ke1 ke1;
  ServerLogin.Nonces nonces;
  Ke3 ke3;
  Point point;
  Scalar scalar;

  @Setup
  public void setup() throws Exception {
    rng = new SecureRandom();
    keys = SoftwareServerKeys.generate(rng);
    prepare(this, keys);
  }

  /** Registers the bench user and records one complete login for KE3 verification. */
  static void prepare(ServerLoginBenchmark b, ServerKeys keys) throws Exception {
    SecureRandom rng = b.rng;
    ClientRegistration reg = ClientRegistration.start(SUITE, PASSWORD, rng);
    ServerRegistration sreg = new ServerRegistration(keys, CRED);
    b.record = reg.finish(sreg.start(reg.request()), Identities.NONE, rng).record();
    ClientLogin client = ClientLogin.start(SUITE, PASSWORD, rng);
    b.ke1 = client.ke1();
    b.nonces = ServerLogin.Nonces.random(rng);
    ServerLogin server = ServerLogin.start(SUITE, keys, CRED, b.record, b.ke1, Identities.NONE,
        b.nonces);
    b.ke3 = client.finish(server.ke2(), Identities.NONE).ke3();
    b.scalar = Scalar.random(rng);
    b.point = P256.multiplyGenerator(Scalar.random(rng));
  }

  @Benchmark
  public Object serverKe1ToKe2() throws Exception {
    return ServerLogin.start(SUITE, keys, CRED, record, ke1, Identities.NONE, rng).ke2();
  }

  /** KE1 → KE2 with the recorded nonces, then KE3 verification; measures the whole server side. */
  @Benchmark
  public Object serverKe1ToKe3Verified() throws Exception {
    ServerLogin s = ServerLogin.start(SUITE, keys, CRED, record, ke1, Identities.NONE, nonces);
    return s.finish(ke3);
  }

  @Benchmark
  public Object rawScalarMultiply() {
    return point.multiply(scalar);
  }
}
