package dev.bkv.pkcs11.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * Adapter and raw IAIK calls measured <em>at the same time</em>: each group runs adapter
 * threads and raw threads side by side on the same token, so both see the same machine load
 * and the ratio of their scores is fair even on a shared, busy machine. {@code -tg 1,1} is one
 * thread per side, {@code -tg 2,2} two.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AdapterVsRawPairedBenchmark {

  @Benchmark
  @Group("ecdh")
  @GroupThreads(1)
  public byte[] ecdhAdapter(BenchState.Token t) throws Exception {
    return t.ecdh.ecdhX(t.peer);
  }

  @Benchmark
  @Group("ecdh")
  @GroupThreads(1)
  public byte[] ecdhRaw(BenchState.Token t, BenchState.Raw r) throws Exception {
    return r.ecdh(t.peer);
  }

  @Benchmark
  @Group("hmac")
  @GroupThreads(1)
  public byte[] hmacAdapter(BenchState.Token t, BenchState.Input in) throws Exception {
    return t.hmac.sign(in.message);
  }

  @Benchmark
  @Group("hmac")
  @GroupThreads(1)
  public byte[] hmacRaw(BenchState.Raw r, BenchState.Input in) throws Exception {
    return r.hmac(in.message);
  }

  @Benchmark
  @Group("gcm32")
  @GroupThreads(1)
  public byte[] gcm32Adapter(BenchState.Token t, BenchState.Input in) throws Exception {
    return t.aes.encryptGcm(in.nextIv(), in.message, in.aad);
  }

  @Benchmark
  @Group("gcm32")
  @GroupThreads(1)
  public byte[] gcm32Raw(BenchState.Raw r, BenchState.Input in) throws Exception {
    return r.gcm(in.nextIv(), in.message, in.aad);
  }

  @Benchmark
  @Group("ecdsa")
  @GroupThreads(1)
  public byte[] ecdsaAdapter(BenchState.Token t, BenchState.Input in) throws Exception {
    return t.ecdsa.signEcdsa(in.message);
  }

  @Benchmark
  @Group("ecdsa")
  @GroupThreads(1)
  public byte[] ecdsaRaw(BenchState.Raw r, BenchState.Input in) throws Exception {
    return r.ecdsa(in.message);
  }
}
