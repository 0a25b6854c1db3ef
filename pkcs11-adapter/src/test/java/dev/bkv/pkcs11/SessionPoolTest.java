package dev.bkv.pkcs11;

import static org.junit.jupiter.api.Assertions.*;

import dev.bkv.pkcs11.testing.SoftHsmTokens;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The session pool under many threads, and recovery when sessions vanish underneath. */
class SessionPoolTest {
  static Pkcs11Token token;
  static byte[][] peers;
  static KeyPair[] peerKeys;

  @BeforeAll
  static void open() throws Exception {
    token = Pkcs11Token.open(SoftHsmTokens.create("pool"));
    peerKeys = new KeyPair[16];
    peers = new byte[16][];
    for (int i = 0; i < peers.length; i++) {
      peerKeys[i] = SoftEc.generate();
      peers[i] = SoftEc.point((ECPublicKey) peerKeys[i].getPublic());
    }
  }

  @AfterAll
  static void close() {
    token.close();
  }

  private static byte[][] expected(EcPrivateKey k) throws Exception {
    byte[][] out = new byte[peers.length][];
    for (int i = 0; i < peers.length; i++) {
      out[i] = SoftEc.ecdhX(peerKeys[i], k.publicKey().point());
    }
    return out;
  }

  private static void hammer(EcPrivateKey k, int threads, int perThread) throws Exception {
    byte[][] want = expected(k);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int seed = t;
        results.add(pool.submit(() -> {
          int ok = 0;
          for (int i = 0; i < perThread; i++) {
            int p = (seed * 7 + i) % peers.length;
            assertArrayEquals(want[p], k.ecdhX(peers[p]), "thread " + seed + " op " + i);
            ok++;
          }
          return ok;
        }));
      }
      int total = 0;
      for (Future<Integer> f : results) {
        total += f.get(5, TimeUnit.MINUTES);
      }
      assertEquals(threads * perThread, total);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void eightThreadsThousandEcdhEachAllCorrect() throws Exception {
    EcPrivateKey k = token.keys().generateEcP256(KeySpec.of("pool/ecdh", KeyUsage.DERIVE));
    hammer(k, 8, 1000);
  }

  @Test
  void sessionCopyGivesTheSameResultsUnderThreads() throws Exception {
    EcPrivateKey k = token.keys().generateEcP256(KeySpec.of("pool/hot", KeyUsage.DERIVE));
    k.cacheInSession();
    hammer(k, 4, 250);
    long sessionObjects = token.inventory().stream()
        .filter(i -> i.label().equals("pool/hot") && i.objectClass() == ObjectClass.PRIVATE_KEY
            && Boolean.FALSE.equals(i.tokenObject()))
        .peek(i -> {
          assertEquals(Boolean.TRUE, i.sensitive());
          assertEquals(Boolean.FALSE, i.extractable());
          assertEquals(Boolean.TRUE, i.neverExtractable());
        })
        .count();
    assertEquals(1, sessionObjects, "exactly one session copy");
  }

  @Test
  void sessionOnlyKeysSurviveFailedCallsOnPooledSessions() throws Exception {
    AesKey transient_ = token.keys().generateAes256(
        KeySpec.of("pool/session-aes", KeyUsage.ENCRYPT, KeyUsage.DECRYPT).sessionOnly());
    assertEquals(Boolean.FALSE, transient_.info().tokenObject());
    byte[] iv = token.random(12);
    byte[] ct = transient_.encryptGcm(iv, new byte[] {1, 2, 3}, null);
    byte[] bad = ct.clone();
    bad[0] ^= 1;
    for (int i = 0; i < 5; i++) { // each failure closes the pooled session it ran on
      assertThrows(HsmAuthenticationException.class, () -> transient_.decryptGcm(iv, bad, null));
    }
    assertArrayEquals(new byte[] {1, 2, 3}, transient_.decryptGcm(iv, ct, null));
    transient_.destroy();
    assertFalse(token.keys().exists("pool/session-aes"));
  }

  @Test
  void extractableKeysAreNotCopiedIntoSessions() throws Exception {
    EcPrivateKey k = token.keys().generateEcP256(KeySpec.of("pool/ceremony", KeyUsage.DERIVE).asCeremony());
    IllegalStateException e = assertThrows(IllegalStateException.class, k::cacheInSession);
    assertTrue(e.getMessage().contains("seal it"), e.getMessage());
    k.seal();
    k.cacheInSession();
    assertArrayEquals(expected(k)[0], k.ecdhX(peers[0]));
  }

  @Test
  void recoversAfterAllSessionsAreClosedUnderneath() throws Exception {
    EcPrivateKey k = token.keys().generateEcP256(KeySpec.of("pool/recover", KeyUsage.DERIVE));
    EcPrivateKey hot = token.keys().generateEcP256(KeySpec.of("pool/recover-hot", KeyUsage.DERIVE));
    hot.cacheInSession();
    AesKey aes = token.keys().generateAes256(KeySpec.of("pool/recover-aes", KeyUsage.ENCRYPT, KeyUsage.DECRYPT));
    byte[][] want = expected(k);
    byte[][] wantHot = expected(hot);
    assertArrayEquals(want[0], k.ecdhX(peers[0]));
    for (int round = 0; round < 3; round++) {
      closeAllSessionsUnderneath();
      assertArrayEquals(want[1], k.ecdhX(peers[1]), "token key after close-all, round " + round);
      closeAllSessionsUnderneath();
      assertArrayEquals(wantHot[2], hot.ecdhX(peers[2]), "session copy after close-all, round " + round);
      closeAllSessionsUnderneath();
      byte[] iv = token.random(12);
      assertArrayEquals(new byte[] {5}, aes.decryptGcm(iv, aes.encryptGcm(iv, new byte[] {5}, null), null));
    }
  }

  /**
   * Several threads all lose their sessions at once and must all carry on. (The reset happens
   * while they wait at a barrier: closing a session while another thread is inside a call on it
   * is undefined in PKCS#11, and SoftHSM2 crashes the process.)
   */
  @Test
  void threadsRecoverTogetherAfterSessionsVanish() throws Exception {
    EcPrivateKey k = token.keys().generateEcP256(KeySpec.of("pool/live", KeyUsage.DERIVE));
    byte[][] want = expected(k);
    int threads = 4;
    int rounds = 4;
    CyclicBarrier paused = new CyclicBarrier(threads + 1);
    CyclicBarrier resumed = new CyclicBarrier(threads + 1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int seed = t;
        results.add(pool.submit(() -> {
          int ok = 0;
          for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < 50; i++) {
              int p = (seed + i) % peers.length;
              assertArrayEquals(want[p], k.ecdhX(peers[p]), "round " + round + " op " + i);
              ok++;
            }
            paused.await(1, TimeUnit.MINUTES);
            resumed.await(1, TimeUnit.MINUTES);
          }
          return ok;
        }));
      }
      for (int round = 0; round < rounds; round++) {
        paused.await(1, TimeUnit.MINUTES);
        closeAllSessionsUnderneath();
        resumed.await(1, TimeUnit.MINUTES);
      }
      int total = 0;
      for (Future<Integer> f : results) {
        total += f.get(2, TimeUnit.MINUTES);
      }
      assertEquals(threads * rounds * 50, total);
      assertArrayEquals(want[3], k.ecdhX(peers[3]), "healthy afterwards");
    } finally {
      pool.shutdownNow();
    }
  }

  private static void closeAllSessionsUnderneath() throws Exception {
    var core = token.core();
    core.module().getPKCS11Module().C_CloseAllSessions(core.slot().getSlotID());
  }
}
