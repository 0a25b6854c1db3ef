package dev.bkv.pkcs11;

import static org.junit.jupiter.api.Assertions.*;

import dev.bkv.pkcs11.testing.SoftHsmTokens;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HsmObserverTest {
  record Seen(String operation, long nanos, String outcome) {}

  static Pkcs11Token token;
  static final List<Seen> seen = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void open() throws Exception {
    token = Pkcs11Token.open(SoftHsmTokens.create("obs"));
    token.observe((op, nanos, outcome) -> seen.add(new Seen(op, nanos, outcome)));
  }

  @AfterAll
  static void close() {
    token.close();
  }

  @Test
  void reportsKindTimeAndCkrOfEachOperation() throws Exception {
    AesKey k = token.keys().generateAes256(KeySpec.of("obs-aes", KeyUsage.ENCRYPT,
        KeyUsage.DECRYPT));
    byte[] iv = new byte[12];
    seen.clear();
    byte[] ct = k.encryptGcm(iv, new byte[] {1, 2, 3}, new byte[0]);
    assertEquals(List.of("aes-gcm"), seen.stream().map(Seen::operation).toList());
    assertEquals(HsmObserver.OK, seen.get(0).outcome());
    assertTrue(seen.get(0).nanos() > 0);

    seen.clear();
    ct[0] ^= 1;
    byte[] bad = ct;
    HsmException e = assertThrows(HsmException.class, () -> k.decryptGcm(iv, bad, new byte[0]));
    assertEquals(1, seen.size());
    assertEquals(e.ckr().orElseThrow().name(), seen.get(0).outcome());
    assertTrue(seen.get(0).outcome().startsWith("CKR_"), seen.get(0).outcome());

    seen.clear();
    assertThrows(HsmNotFoundException.class, () -> token.keys().findAes("no-such-key"));
    assertEquals("finding", seen.get(0).operation());
    assertEquals(HsmObserver.NOT_FOUND, seen.get(0).outcome());
  }

  @Test
  void kindIsTheFirstWordAndNeverALabel() {
    assertEquals("ecdh", HsmObserver.kind("ECDH with EC key 'fleet/1/oprf' (id 01) on x"));
    assertEquals("other", HsmObserver.kind("'secret-label' leads"));
    assertEquals("other", HsmObserver.kind(null));
  }

  @Test
  void sessionPoolUseCountsBorrowedSessions() throws Exception {
    token.random(8);
    SessionPoolUse idle = token.sessionPoolUse();
    assertEquals(0, idle.inUse());
    assertTrue(idle.idle() >= 1, idle.toString());
  }
}
