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
import org.openjdk.jmh.annotations.Level;
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
 * JMH state shared by the benchmarks: one SoftHSM2 token with hot keys kept as session copies
 * (as the vault does), and per thread a raw IAIK session computing with the very same handles.
 */
public final class BenchState {
  private BenchState() {}

  /** One token and its keys, shared by all threads. */
  @State(Scope.Benchmark)
  public static class Token {
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
      for (var k : new dev.bkv.pkcs11.HsmKey[] {ecdh, ecdsa, hmac, aes}) {
        k.cacheInSession();
      }
      peer = token.keys().generateEcP256(KeySpec.of("bench/peer", KeyUsage.DERIVE)).publicKey().point();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      token.close();
    }
  }

  /** A raw IAIK session per thread, with the handles the adapter computes with. */
  @State(Scope.Thread)
  public static class Raw {
    Session session;
    long ecdh;
    long ecdsa;
    long hmac;
    long aes;

    @Setup(Level.Trial)
    public void setUp(Token t) throws Exception {
      session = RawAccess.slot(t.token).getToken().openSession(true);
      ecdh = RawAccess.opHandle(t.ecdh, session);
      ecdsa = RawAccess.opHandle(t.ecdsa, session);
      hmac = RawAccess.opHandle(t.hmac, session);
      aes = RawAccess.opHandle(t.aes, session);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
      session.closeSession();
    }

    byte[] ecdh(byte[] peer) throws Exception {
      Mechanism m = new Mechanism(CKM_ECDH1_DERIVE, new ECDH1_DERIVE_PARAMS(CKD_NULL, null, peer.clone()));
      AttributeVector tmpl = new AttributeVector().class_(CKO_SECRET_KEY).keyType(CKK_GENERIC_SECRET)
          .token(false).private_(true).sensitive(false).extractable(true).valueLen(32);
      long secret = session.deriveKey(m, ecdh, tmpl);
      try {
        return session.getAttrValues(secret, CKA_VALUE).value();
      } finally {
        session.destroyObject(secret);
      }
    }

    byte[] hmac(byte[] data) throws Exception {
      return session.signSingle(new Mechanism(CKM_SHA256_HMAC), hmac, data.clone());
    }

    byte[] gcm(byte[] iv, byte[] pt, byte[] aad) throws Exception {
      Mechanism m = new Mechanism(CKM_AES_GCM, new GCM_PARAMS(iv.clone(), aad.clone(), 128));
      return session.encryptSingle(m, aes, pt.clone());
    }

    byte[] ecdsa(byte[] message) throws Exception {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(message);
      return session.signSingle(new Mechanism(CKM_ECDSA), ecdsa, digest);
    }
  }

  /** Per-thread inputs: a 32-byte message and a fresh IV per call. */
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
}
