package dev.bkv.pkcs11.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * Adapter operations and the same calls made directly on the IAIK wrapper, one after the
 * other (run with {@code -t 1} and {@code -t 2}). On a busy machine prefer
 * {@link AdapterVsRawPairedBenchmark}, which measures both sides at the same time.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AdapterVsRawBenchmark {

  @Benchmark
  public byte[] ecdhAdapter(BenchState.Token t) throws Exception {
    return t.ecdh.ecdhX(t.peer);
  }

  @Benchmark
  public byte[] ecdhRaw(BenchState.Token t, BenchState.Raw r) throws Exception {
    return r.ecdh(t.peer);
  }

  @Benchmark
  public byte[] hmacAdapter(BenchState.Token t, BenchState.Input in) throws Exception {
    return t.hmac.sign(in.message);
  }

  @Benchmark
  public byte[] hmacRaw(BenchState.Raw r, BenchState.Input in) throws Exception {
    return r.hmac(in.message);
  }

  @Benchmark
  public byte[] gcm32Adapter(BenchState.Token t, BenchState.Input in) throws Exception {
    return t.aes.encryptGcm(in.nextIv(), in.message, in.aad);
  }

  @Benchmark
  public byte[] gcm32Raw(BenchState.Raw r, BenchState.Input in) throws Exception {
    return r.gcm(in.nextIv(), in.message, in.aad);
  }

  @Benchmark
  public byte[] ecdsaAdapter(BenchState.Token t, BenchState.Input in) throws Exception {
    return t.ecdsa.signEcdsa(in.message);
  }

  @Benchmark
  public byte[] ecdsaRaw(BenchState.Raw r, BenchState.Input in) throws Exception {
    return r.ecdsa(in.message);
  }
}
