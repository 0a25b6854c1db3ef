package dev.bkv.opaque;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bkv.ec.P256;
import dev.bkv.ec.Scalar;
import dev.bkv.recovery.SecretBytes;
import dev.bkv.testing.Vectors;
import java.util.ArrayList;
import java.util.List;

/** RFC 9807 P-256 vectors (C.1.5, C.1.6, C.2.3) and a runner usable with any ServerKeys. */
public final class OpaqueVectors {
  private OpaqueVectors() {}

  /** One vector: its RFC name and the JSON sections. */
  public record Case(String name, JsonNode config, JsonNode inputs, JsonNode intermediates,
      JsonNode outputs) {
    public boolean fake() {
      return config.get("Fake").asText().equals("True");
    }

    public byte[] in(String f) {
      return Vectors.hex(inputs, f);
    }

    public byte[] out(String f) {
      return Vectors.hex(outputs, f);
    }

    public byte[] mid(String f) {
      return Vectors.hex(intermediates, f);
    }

    public CipherSuite suite() {
      return new CipherSuite(Vectors.hex(config, "Context"), Ksf.IDENTITY);
    }

    public Identities identities() {
      return new Identities(inputs.has("client_identity") ? in("client_identity") : null,
          inputs.has("server_identity") ? in("server_identity") : null);
    }

    public SecretBytes oprfSeed() {
      return SecretBytes.copyOf(in("oprf_seed"));
    }

    public Scalar serverPrivateKey() throws Exception {
      return Scalar.decodeNonZero(in("server_private_key"));
    }

    public ServerLogin.Nonces nonces() {
      return new ServerLogin.Nonces(in("masking_nonce"), in("server_nonce"),
          in("server_keyshare_seed"));
    }

    @Override
    public String toString() {
      return name;
    }
  }

  public static List<Case> all() {
    JsonNode root = Vectors.load("opaque-rfc9807-P256-SHA256.json");
    String[] names = {"C.1.5 real, no identities", "C.1.6 real, alice/bob", "C.2.3 fake"};
    List<Case> out = new ArrayList<>();
    int i = 0;
    for (JsonNode v : root) {
      if (!v.get("config").get("Group").asText().equals("P256_XMD:SHA-256_SSWU_RO_")) {
        throw new IllegalStateException("unexpected group in P-256 vector file");
      }
      out.add(new Case(names[i++], v.get("config"), v.get("inputs"), v.get("intermediates"),
          v.get("outputs")));
    }
    assertEquals(3, out.size());
    return out;
  }

  public static List<Case> real() {
    return all().stream().filter(c -> !c.fake()).toList();
  }

  public static List<Case> fake() {
    return all().stream().filter(Case::fake).toList();
  }

  /** Runs registration and login of a real vector through {@code keys}, byte for byte. */
  public static void runReal(Case c, ServerKeys keys) throws Exception {
    assertArrayEquals(c.in("server_public_key"), keys.serverPublicKey().toCompressed());
    CipherSuite suite = c.suite();
    Identities ids = c.identities();
    byte[] credId = c.in("credential_identifier");

    ClientRegistration reg = ClientRegistration.start(suite, c.in("password"),
        Scalar.decodeNonZero(c.in("blind_registration")));
    assertArrayEquals(c.out("registration_request"), reg.request().toBytes());
    ServerRegistration server = new ServerRegistration(keys, credId);
    RegistrationResponse response =
        server.start(RegistrationRequest.parse(c.out("registration_request")));
    assertArrayEquals(c.out("registration_response"), response.toBytes());
    ClientRegistration.Result regResult = reg.finish(
        RegistrationResponse.parse(response.toBytes()), ids, c.in("envelope_nonce"));
    assertArrayEquals(c.out("registration_upload"), regResult.record().toBytes());
    assertArrayEquals(c.mid("envelope"), regResult.record().envelope());
    assertArrayEquals(c.mid("masking_key"), regResult.record().maskingKey());
    assertArrayEquals(c.mid("client_public_key"),
        regResult.record().clientPublicKey().toCompressed());
    assertArrayEquals(c.out("export_key"), regResult.exportKey().copy());
    RegistrationRecord stored = server.finish(regResult.record().toBytes());

    ClientLogin client = ClientLogin.start(suite, c.in("password"),
        Scalar.decodeNonZero(c.in("blind_login")), c.in("client_nonce"),
        c.in("client_keyshare_seed"));
    assertArrayEquals(c.out("KE1"), client.ke1().toBytes());
    ServerLogin serverLogin = ServerLogin.start(suite, keys, credId, stored,
        Ke1.parse(c.out("KE1")), ids, c.nonces());
    assertArrayEquals(c.out("KE2"), serverLogin.ke2().toBytes());
    ClientLogin.Result clientResult = client.finish(Ke2.parse(c.out("KE2")), ids);
    assertArrayEquals(c.out("KE3"), clientResult.ke3().toBytes());
    assertArrayEquals(c.out("session_key"), clientResult.sessionKey().copy());
    assertArrayEquals(c.out("export_key"), clientResult.exportKey().copy());
    assertEquals(P256.decodePoint(c.in("server_public_key")), clientResult.serverPublicKey());
    ServerLogin.Result serverResult = serverLogin.finish(Ke3.parse(c.out("KE3")));
    assertArrayEquals(c.out("session_key"), serverResult.sessionKey().copy());
  }

  /** Runs the fake-credential KE2 of a fake vector through {@code keys}, byte for byte. */
  public static void runFake(Case c, ServerKeys keys) throws Exception {
    assertArrayEquals(c.in("server_public_key"), keys.serverPublicKey().toCompressed());
    RegistrationRecord fakeRecord = RegistrationRecord.fake(
        P256.decodePoint(c.in("client_public_key")), c.in("masking_key"));
    ServerLogin login = ServerLogin.start(c.suite(), keys, c.in("credential_identifier"),
        fakeRecord, Ke1.parse(c.in("KE1")), c.identities(), c.nonces());
    assertArrayEquals(c.out("KE2"), login.ke2().toBytes());
  }
}
