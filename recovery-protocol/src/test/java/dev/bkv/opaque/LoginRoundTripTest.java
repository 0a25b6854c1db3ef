package dev.bkv.opaque;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.recovery.AuthenticationFailedException;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LoginRoundTripTest {
  private final SecureRandom rng = new SecureRandom();
  private final SoftwareServerKeys keys = SoftwareServerKeys.generate(rng);
  private final Identities ids = Identities.NONE;

  @Test
  void threeHundredRandomPasswords() throws Exception {
    for (int i = 0; i < 300; i++) {
      LoginFlows.assertRoundTrip(keys, rng);
    }
  }

  @Test
  void wrongPasswordFailsAtKe2OnTheClientAndAtKe3OnTheServer() throws Exception {
    for (int i = 0; i < 50; i++) {
      byte[] cred = ("user-" + i).getBytes();
      LoginFlows.Registered reg = LoginFlows.register(LoginFlows.SUITE, keys, cred,
          LoginFlows.randomPassword(rng), ids, rng);
      byte[] wrong = reg.password().clone();
      wrong[rng.nextInt(wrong.length)] ^= (byte) (1 + rng.nextInt(255));
      ClientLogin client = ClientLogin.start(LoginFlows.SUITE, wrong, rng);
      ServerLogin server = ServerLogin.start(LoginFlows.SUITE, keys, cred, reg.record(),
          client.ke1(), ids, rng);
      assertThrows(AuthenticationFailedException.class, () -> client.finish(server.ke2(), ids));
      // The client has nothing to send; an attacker guessing KE3 fails on the server.
      byte[] guess = new byte[32];
      rng.nextBytes(guess);
      assertThrows(AuthenticationFailedException.class, () -> server.finish(new Ke3(guess)));
    }
  }

  @Test
  void ke3FromAnotherSessionIsRejected() throws Exception {
    byte[] cred = "bob".getBytes();
    LoginFlows.Registered reg = LoginFlows.register(LoginFlows.SUITE, keys, cred,
        "hunter2".getBytes(), ids, rng);
    ClientLogin c1 = ClientLogin.start(LoginFlows.SUITE, reg.password(), rng);
    ServerLogin s1 = ServerLogin.start(LoginFlows.SUITE, keys, cred, reg.record(), c1.ke1(), ids,
        rng);
    ClientLogin.Result r1 = c1.finish(s1.ke2(), ids);
    ClientLogin c2 = ClientLogin.start(LoginFlows.SUITE, reg.password(), rng);
    ServerLogin s2 = ServerLogin.start(LoginFlows.SUITE, keys, cred, reg.record(), c2.ke1(), ids,
        rng);
    assertThrows(AuthenticationFailedException.class, () -> s2.finish(r1.ke3()));
    assertTrue(s1.finish(r1.ke3()).sessionKey().equalsConstantTime(r1.sessionKey()));
  }

  @Test
  void tamperedKe2IsRejectedByTheClient() throws Exception {
    byte[] cred = "carol".getBytes();
    LoginFlows.Registered reg = LoginFlows.register(LoginFlows.SUITE, keys, cred,
        "pw".getBytes(), ids, rng);
    // Flip a byte in masked response, server nonce and server MAC (fields that keep parsing).
    for (int off : new int[] {33, 65, 100, 161, 194, 240, 258}) {
      ClientLogin client = ClientLogin.start(LoginFlows.SUITE, reg.password(), rng);
      ServerLogin server = ServerLogin.start(LoginFlows.SUITE, keys, cred, reg.record(),
          client.ke1(), ids, rng);
      byte[] ke2 = server.ke2().toBytes();
      ke2[off] ^= 0x01;
      Ke2 tampered = Ke2.parse(ke2);
      assertThrows(AuthenticationFailedException.class, () -> client.finish(tampered, ids),
          "offset " + off);
    }
  }

  @Test
  void mismatchedIdentitiesOrContextFail() throws Exception {
    byte[] cred = "dave".getBytes();
    Identities alice = new Identities("alice".getBytes(), "bkv".getBytes());
    LoginFlows.Registered reg = LoginFlows.register(LoginFlows.SUITE, keys, cred,
        "pw".getBytes(), alice, rng);
    ClientLogin client = ClientLogin.start(LoginFlows.SUITE, reg.password(), rng);
    ServerLogin server = ServerLogin.start(LoginFlows.SUITE, keys, cred, reg.record(),
        client.ke1(), alice, rng);
    Identities mallory = new Identities("mallory".getBytes(), "bkv".getBytes());
    assertThrows(AuthenticationFailedException.class, () -> client.finish(server.ke2(), mallory));

    CipherSuite other = new CipherSuite("other-context".getBytes(), Ksf.IDENTITY);
    ClientLogin c2 = ClientLogin.start(other, reg.password(), rng);
    ServerLogin s2 = ServerLogin.start(LoginFlows.SUITE, keys, cred, reg.record(), c2.ke1(),
        alice, rng);
    assertThrows(AuthenticationFailedException.class, () -> c2.finish(s2.ke2(), alice));
  }

  @Test
  void unknownUserGetsAConsistentFakeResponseThatNeverAuthenticates() throws Exception {
    byte[] cred = "nobody".getBytes();
    ClientLogin client = ClientLogin.start(LoginFlows.SUITE, "guess".getBytes(), rng);
    ServerLogin.Nonces nonces = ServerLogin.Nonces.random(rng);
    ServerLogin a = ServerLogin.start(LoginFlows.SUITE, keys, cred, null, client.ke1(), ids,
        nonces);
    ServerLogin b = ServerLogin.start(LoginFlows.SUITE, keys, cred, null, client.ke1(), ids,
        nonces);
    assertEquals(a.ke2(), b.ke2()); // same fake record for the same unknown user
    ServerLogin other = ServerLogin.start(LoginFlows.SUITE, keys, "someone-else".getBytes(), null,
        client.ke1(), ids, nonces);
    assertFalse(Arrays.equals(a.ke2().maskedResponse(), other.ke2().maskedResponse()));
    assertEquals(Ke2.LENGTH, a.ke2().toBytes().length);
    assertThrows(AuthenticationFailedException.class, () -> client.finish(a.ke2(), ids));
    byte[] guess = new byte[32];
    assertThrows(AuthenticationFailedException.class, () -> a.finish(new Ke3(guess)));
  }

  @Test
  void pinnedServerKeyIsEnforced() throws Exception {
    SoftwareServerKeys impostor = SoftwareServerKeys.generate(rng);
    ClientRegistration reg = ClientRegistration.start(LoginFlows.SUITE, "pw".getBytes(), rng);
    RegistrationResponse fromImpostor =
        new ServerRegistration(impostor, "gina".getBytes()).start(reg.request());
    assertThrows(AuthenticationFailedException.class,
        () -> reg.finish(fromImpostor, ids, keys.serverPublicKey(), rng));

    ClientRegistration reg2 = ClientRegistration.start(LoginFlows.SUITE, "pw".getBytes(), rng);
    ClientRegistration.Result r = reg2.finish(
        new ServerRegistration(keys, "gina".getBytes()).start(reg2.request()), ids,
        keys.serverPublicKey(), rng);
    ClientLogin ok = ClientLogin.start(LoginFlows.SUITE, "pw".getBytes(), rng);
    ServerLogin s = ServerLogin.start(LoginFlows.SUITE, keys, "gina".getBytes(), r.record(),
        ok.ke1(), ids, rng);
    ClientLogin.Result cr = ok.finish(s.ke2(), ids, keys.serverPublicKey());
    assertTrue(s.finish(cr.ke3()).sessionKey().equalsConstantTime(cr.sessionKey()));

    ClientLogin pinnedElsewhere = ClientLogin.start(LoginFlows.SUITE, "pw".getBytes(), rng);
    ServerLogin s2 = ServerLogin.start(LoginFlows.SUITE, keys, "gina".getBytes(), r.record(),
        pinnedElsewhere.ke1(), ids, rng);
    assertThrows(AuthenticationFailedException.class,
        () -> pinnedElsewhere.finish(s2.ke2(), ids, impostor.serverPublicKey()));
  }

  @Test
  void stateObjectsAreSingleUse() throws Exception {
    byte[] cred = "erin".getBytes();
    LoginFlows.Registered reg = LoginFlows.register(LoginFlows.SUITE, keys, cred,
        "pw".getBytes(), ids, rng);
    ClientLogin client = ClientLogin.start(LoginFlows.SUITE, reg.password(), rng);
    ServerLogin server = ServerLogin.start(LoginFlows.SUITE, keys, cred, reg.record(),
        client.ke1(), ids, rng);
    ClientLogin.Result r = client.finish(server.ke2(), ids);
    assertThrows(IllegalStateException.class, () -> client.finish(server.ke2(), ids));
    server.finish(r.ke3());
    assertThrows(IllegalStateException.class, () -> server.finish(r.ke3()));
  }

  @Test
  void argon2idSuiteRoundTripsAndDiffersFromIdentity() throws Exception {
    CipherSuite argon = new CipherSuite(new byte[0], new Argon2idKsf(256, 1, 1));
    byte[] cred = "frank".getBytes();
    ClientRegistration reg = ClientRegistration.start(argon, "pw".getBytes(), rng);
    ServerRegistration sreg = new ServerRegistration(keys, cred);
    ClientRegistration.Result r = reg.finish(sreg.start(reg.request()), ids, rng);
    ClientLogin client = ClientLogin.start(argon, "pw".getBytes(), rng);
    ServerLogin server = ServerLogin.start(argon, keys, cred, r.record(), client.ke1(), ids, rng);
    ClientLogin.Result cr = client.finish(server.ke2(), ids);
    assertTrue(server.finish(cr.ke3()).sessionKey().equalsConstantTime(cr.sessionKey()));
    assertArrayEquals(r.exportKey().copy(), cr.exportKey().copy());
    // The identity-KSF client cannot open an Argon2id registration.
    ClientLogin plain = ClientLogin.start(new CipherSuite(new byte[0], Ksf.IDENTITY),
        "pw".getBytes(), rng);
    ServerLogin s2 = ServerLogin.start(argon, keys, cred, r.record(), plain.ke1(), ids, rng);
    assertThrows(AuthenticationFailedException.class, () -> plain.finish(s2.ke2(), ids));
  }
}
