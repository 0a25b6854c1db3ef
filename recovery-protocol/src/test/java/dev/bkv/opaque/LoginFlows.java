package dev.bkv.opaque;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;

/** Complete register → login flows over the wire encodings, for round-trip tests. */
public final class LoginFlows {
  /** A test suite: identity KSF (fast), non-empty context. */
  public static final CipherSuite SUITE = new CipherSuite("bkv-test".getBytes(), Ksf.IDENTITY);

  private LoginFlows() {}

  /** What a registration left behind. */
  public record Registered(byte[] credentialId, byte[] password, RegistrationRecord record,
      byte[] exportKey) {}

  public static byte[] randomPassword(SecureRandom rng) {
    byte[] pw = new byte[1 + rng.nextInt(64)];
    rng.nextBytes(pw);
    return pw;
  }

  public static Registered register(CipherSuite suite, ServerKeys keys, byte[] credId,
      byte[] password, Identities ids, SecureRandom rng) throws Exception {
    ClientRegistration client = ClientRegistration.start(suite, password, rng);
    ServerRegistration server = new ServerRegistration(keys, credId);
    RegistrationResponse response =
        server.start(RegistrationRequest.parse(client.request().toBytes()));
    ClientRegistration.Result r =
        client.finish(RegistrationResponse.parse(response.toBytes()), ids, rng);
    RegistrationRecord stored = server.finish(r.record().toBytes());
    return new Registered(credId, password, stored, r.exportKey().copy());
  }

  /** Registers a random user with a random password, logs in, and checks every key agrees. */
  public static void assertRoundTrip(ServerKeys keys, SecureRandom rng) throws Exception {
    byte[] credId = new byte[1 + rng.nextInt(40)];
    rng.nextBytes(credId);
    Identities ids = rng.nextBoolean() ? Identities.NONE
        : new Identities("alice@example".getBytes(), "bkv-fleet".getBytes());
    Registered reg = register(SUITE, keys, credId, randomPassword(rng), ids, rng);
    ClientLogin client = ClientLogin.start(SUITE, reg.password(), rng);
    ServerLogin server = ServerLogin.start(SUITE, keys, credId, reg.record(),
        Ke1.parse(client.ke1().toBytes()), ids, rng);
    ClientLogin.Result c = client.finish(Ke2.parse(server.ke2().toBytes()), ids);
    ServerLogin.Result s = server.finish(Ke3.parse(c.ke3().toBytes()));
    assertTrue(c.sessionKey().equalsConstantTime(s.sessionKey()));
    assertEquals(32, c.sessionKey().length());
    assertArrayEquals(reg.exportKey(), c.exportKey().copy());
    assertEquals(keys.serverPublicKey(), c.serverPublicKey());
  }
}
