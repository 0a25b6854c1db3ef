package dev.bkv.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.bkv.ec.P256;
import dev.bkv.ec.Scalar;
import dev.bkv.opaque.Argon2idKsf;
import dev.bkv.opaque.CipherSuite;
import dev.bkv.opaque.SoftwareServerKeys;
import dev.bkv.recovery.SecretBytes;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The client library on its own class path, as an app embeds it: no PKCS#11 adapter, no IAIK
 * wrapper, no Ratis, no RocksDB, no member code (the build's enforcer rule bans them; this shows
 * they are not needed at run time). Register and recover run end to end through the fleet
 * channel against a {@link SoftwareMember} over gRPC.
 */
class ClientWithoutPkcs11Test {
  private static final byte[] USER = "alice@example.com".getBytes(StandardCharsets.UTF_8);
  /** Cheap Argon2id for tests; apps keep the default or choose their own explicitly. */
  private static final CipherSuite SUITE = new CipherSuite(
      "bkv/v1".getBytes(StandardCharsets.UTF_8), new Argon2idKsf(64, 1, 1));
  private static SoftwareServerKeys keys;
  private static Server member;

  @BeforeAll
  static void startMember() throws Exception {
    keys = SoftwareServerKeys.generate(new SecureRandom());
    member = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
        .addService(new SoftwareMember(keys, SUITE)).build().start();
  }

  @AfterAll
  static void stopMember() {
    member.shutdownNow();
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev.bkv.pkcs11.TokenInitializer", "org.xipki.pkcs11.wrapper.PKCS11Module",
      "org.apache.ratis.server.RaftServer", "org.rocksdb.RocksDB",
      "dev.bkv.node.service.VaultService", "dev.bkv.node.api.VaultGrpcService"})
  void serverSideClassesAreAbsent(String name) {
    assertThrows(ClassNotFoundException.class, () -> Class.forName(name));
  }

  @Test
  void registerAndRecoverWithAnAppChosenTransport() throws Exception {
    AtomicInteger opened = new AtomicInteger();
    VaultClient.Transport classPath = VaultClient.Transport.classPath();
    byte[] raw = new byte[32];
    new SecureRandom().nextBytes(raw);
    SecretBytes backupKey = SecretBytes.copyOf(raw);
    try (VaultClient client = client(new PinnedFleetKey(keys.serverPublicKey()))
        .transport((e, creds) -> {
          opened.incrementAndGet();
          return classPath.open(e, creds);
        }).build()) {
      assertEquals(1, opened.get());
      client.register(USER, bytes("correct horse"), backupKey);
      SecretBytes recovered = client.recover(USER, bytes("correct horse"));
      assertArrayEquals(backupKey.copy(), recovered.copy());
      WrongPasswordException wrong = assertThrows(WrongPasswordException.class,
          () -> client.recover(USER, bytes("battery staple")));
      assertEquals(9, wrong.attemptsLeft());
    }
  }

  @Test
  void aMemberWithAnotherFleetKeyIsNotTrusted() throws Exception {
    PinnedFleetKey other = new PinnedFleetKey(P256.multiplyGenerator(
        Scalar.random(new SecureRandom())));
    try (VaultClient client = client(other).build()) {
      assertThrows(UntrustedFleetException.class,
          () -> client.register(USER, bytes("pw"), SecretBytes.copyOf(new byte[32])));
    }
  }

  private static VaultClient.Builder client(TrustAnchor anchor) {
    return VaultClient.builder().endpoints(List.of(new Endpoint("127.0.0.1", member.getPort())))
        .trustAnchor(anchor).tenantTokens(TenantTokens.fixed("test-token")).suite(SUITE)
        .plaintext();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
