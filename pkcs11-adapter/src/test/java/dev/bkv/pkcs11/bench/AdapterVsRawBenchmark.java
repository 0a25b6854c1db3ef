package dev.bkv.pkcs11.bench;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.*;

import dev.bkv.pkcs11.AesKey;
import dev.bkv.pkcs11.EcPrivateKey;
import dev.bkv.pkcs11.HmacKey;
import dev.bkv.pkcs11.KeySpec;
import dev.bkv.pkcs11.KeyUsage;
import dev.bkv.pkcs11.Pkcs11Token;
import dev.bkv.pkcs11.RawAccess;
import dev.bkv.pkcs11.testing.SoftHsmTokens;
import java.security.MessageDigest;
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
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.Mechanism;
import org.xipki.pkcs11.wrapper.Session;
import org.xipki.pkcs11.wrapper.params.ECDH1_DERIVE_PARAMS;
import org.xipki.pkcs11.wrapper.params.GCM_PARAMS;

/**
 * Adapter operations next to the same calls made directly on the IAIK wrapper (one session per
 * thread, handles looked up once), on token keys of one SoftHSM2 token. Run with
 * {@code scripts/bench/pkcs11}; compare ratios, not absolute numbers.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AdapterVsRawBenchmark {

  /** One token and its keys, shared by all threads. */
  @State(Scope.Benchmark)
  public static class TokenState {
    Pkcs11Token token;
    EcPrivateKey ecdh;
    EcPrivateKey ecdsa;
    HmacKey hmac;
    AesKey aes;
    byte[] peer;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      token = Pkcs11Token.open(SoftHsmTokens.create("bench"));
      ecdh = token.keys().generateEcP256(KeySpec.of("bench/ecdh", KeyUsage.DERIVE));
      ecdsa = token.keys().generateEcP256(KeySpec.of("bench/ecdsa", KeyUsage.SIGN));
      hmac = token.keys().generateHmacKey(KeySpec.of("bench/hmac", KeyUsage.SIGN));
      aes = token.keys().generateAes256(KeySpec.of("bench/aes", KeyUsage.ENCRYPT, KeyUsage.DECRYPT));
      peer = token.keys().generateEcP256(KeySpec.of("bench/peer", KeyUsage.DERIVE)).publicKey().point();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      token.close();
    }
  }

  /** A raw IAIK session per thread with the same keys' handles. */
  @State(Scope.Thread)
  public static class RawState {
    Session session;
    long ecdh;
    long ecdsa;
    long hmac;
    long aes;

    @Setup(Level.Trial)
    public void setUp(TokenState t) throws Exception {
      session = RawAccess.slot(t.token).getToken().openSession(true);
      ecdh = RawAccess.handle(t.ecdh, session);
      ecdsa = RawAccess.handle(t.ecdsa, session);
      hmac = RawAccess.handle(t.hmac, session);
      aes = RawAccess.handle(t.aes, session);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
      session.closeSession();
    }
  }

  /** Per-thread inputs: a message and a distinct IV counter. */
  @State(Scope.Thread)
  public static class Input {
    final byte[] message = new byte[32];
    final byte[] aad = "user=alice|fleet=1".getBytes();
    final byte[] iv = new byte[12];
    long counter;

    byte[] nextIv() {
      long c = ++counter;
      for (int i = 0; i < 8; i++) {
        iv[4 + i] = (byte) (c >>> (8 * i));
      }
      return iv;
    }
  }

  @Benchmark
  public byte[] ecdhAdapter(TokenState t) throws Exception {
    return t.ecdh.ecdhX(t.peer);
  }

  @Benchmark
  public byte[] ecdhRaw(TokenState t, RawState r) throws Exception {
    Mechanism m = new Mechanism(CKM_ECDH1_DERIVE, new ECDH1_DERIVE_PARAMS(CKD_NULL, null, t.peer.clone()));
    AttributeVector tmpl = new AttributeVector().class_(CKO_SECRET_KEY).keyType(CKK_GENERIC_SECRET)
        .token(false).private_(true).sensitive(false).extractable(true).valueLen(32);
    long secret = r.session.deriveKey(m, r.ecdh, tmpl);
    try {
      return r.session.getAttrValues(secret, CKA_VALUE).value();
    } finally {
      r.session.destroyObject(secret);
    }
  }

  @Benchmark
  public byte[] hmacAdapter(TokenState t, Input in) throws Exception {
    return t.hmac.sign(in.message);
  }

  @Benchmark
  public byte[] hmacRaw(RawState r, Input in) throws Exception {
    return r.session.signSingle(new Mechanism(CKM_SHA256_HMAC), r.hmac, in.message.clone());
  }

  @Benchmark
  public byte[] gcm32Adapter(TokenState t, Input in) throws Exception {
    return t.aes.encryptGcm(in.nextIv(), in.message, in.aad);
  }

  @Benchmark
  public byte[] gcm32Raw(RawState r, Input in) throws Exception {
    Mechanism m = new Mechanism(CKM_AES_GCM, new GCM_PARAMS(in.nextIv().clone(), in.aad.clone(), 128));
    return r.session.encryptSingle(m, r.aes, in.message.clone());
  }

  @Benchmark
  public byte[] ecdsaAdapter(TokenState t, Input in) throws Exception {
    return t.ecdsa.signEcdsa(in.message);
  }

  @Benchmark
  public byte[] ecdsaRaw(RawState r, Input in) throws Exception {
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(in.message);
    return r.session.signSingle(new Mechanism(CKM_ECDSA), r.ecdsa, digest);
  }
}
