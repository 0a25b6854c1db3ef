package dev.bkv.hygiene;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.opaque.CipherSuite;
import dev.bkv.opaque.ClientLogin;
import dev.bkv.opaque.ClientRegistration;
import dev.bkv.opaque.HsmServerKeys;
import dev.bkv.opaque.Identities;
import dev.bkv.opaque.Ke1;
import dev.bkv.opaque.Ke2;
import dev.bkv.opaque.Ke3;
import dev.bkv.opaque.Ksf;
import dev.bkv.opaque.RegistrationRecord;
import dev.bkv.opaque.RegistrationRequest;
import dev.bkv.opaque.RegistrationResponse;
import dev.bkv.opaque.ServerLogin;
import dev.bkv.opaque.ServerRegistration;
import dev.bkv.pkcs11.KeySpec;
import dev.bkv.pkcs11.KeyUsage;
import dev.bkv.pkcs11.Pkcs11Config;
import dev.bkv.pkcs11.Pkcs11Token;
import dev.bkv.pkcs11.PinSource;
import dev.bkv.pkcs11.testing.SoftHsmTokens;
import dev.bkv.recovery.SecretBytes;
import dev.bkv.seal.BackupKeySealer;
import dev.bkv.seal.SealedBackupKey;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A full register → seal → login → open with fleet keys in SoftHSM2, plus the failure paths a
 * log would show (wrong password, tampered KE2/KE3, malformed messages, wrong PIN), while every
 * stream and log is captured. The capture, the exception messages and stack traces and the
 * {@code toString()} of every object involved must not contain the password, the PINs, the
 * export key, either session key or the backup key in any encoding. Afterwards no key on the
 * token is extractable.
 */
class SecretsInOutputTest {
  private final SecureRandom rng = new SecureRandom();
  private final CipherSuite suite = new CipherSuite(new byte[0], Ksf.IDENTITY);

  @Test
  void registerAndLoginLeakNoSecret() throws Exception {
    SoftHsmTokens.TestToken tt = SoftHsmTokens.createToken("hygiene");
    byte[] password = ("correct horse " + Long.toHexString(rng.nextLong()))
        .getBytes(StandardCharsets.UTF_8);
    byte[] backupKey = new byte[32];
    rng.nextBytes(backupKey);
    byte[] cred = "alice@example".getBytes(StandardCharsets.UTF_8);
    SecretScan secrets = new SecretScan().add("password", password)
        .add("user PIN", tt.userPin()).add("SO PIN", tt.soPin()).add("backup key", backupKey);

    try (OutputCapture cap = new OutputCapture();
        Pkcs11Token token = Pkcs11Token.open(tt.config())) {
      cap.note(tt.config());
      cap.note(token);
      HsmServerKeys keys = HsmServerKeys.fromToken(
          token.keys().generateHmacKey(KeySpec.of("fleet/h/oprf-seed", KeyUsage.SIGN)),
          token.keys().generateEcP256(KeySpec.of("fleet/h/oprf", KeyUsage.DERIVE)),
          token.keys().generateEcP256(KeySpec.of("fleet/h/ake", KeyUsage.DERIVE)));
      cap.note(keys);

      ClientRegistration reg = ClientRegistration.start(suite, password, rng);
      RegistrationResponse resp = new ServerRegistration(keys, cred)
          .start(RegistrationRequest.parse(reg.request().toBytes()));
      ClientRegistration.Result r = reg.finish(resp, Identities.NONE, rng);
      RegistrationRecord record = RegistrationRecord.parse(r.record().toBytes());
      SealedBackupKey sealed = BackupKeySealer.seal(r.exportKey(), SecretBytes.copyOf(backupKey), rng);
      secrets.add("export key", r.exportKey().copy());
      List.of(reg, resp, r, record, sealed, r.exportKey()).forEach(cap::note);

      ClientLogin login = ClientLogin.start(suite, password, rng);
      ServerLogin server = ServerLogin.start(suite, keys, cred, record,
          Ke1.parse(login.ke1().toBytes()), Identities.NONE, rng);
      ClientLogin.Result c = login.finish(Ke2.parse(server.ke2().toBytes()), Identities.NONE);
      ServerLogin.Result s = server.finish(Ke3.parse(c.ke3().toBytes()));
      SecretBytes opened = BackupKeySealer.open(c.exportKey(), sealed);
      assertTrue(opened.equalsConstantTime(SecretBytes.copyOf(backupKey)));
      secrets.add("client session key", c.sessionKey().copy())
          .add("server session key", s.sessionKey().copy());
      List.of(login, server, c, s, opened, login.ke1(), server.ke2(), c.ke3()).forEach(cap::note);

      failurePaths(cap, keys, cred, record, sealed, password, tt);
      assertTrue(NoExtractableKeys.check(token) >= 3, "the fleet keys must be in the inventory");
      String text = cap.text();
      assertTrue(text.contains("did not authenticate") || text.contains("authentic"),
          "the failure messages must have been captured");
      assertEquals(List.of(), secrets.scan(text), "secrets in captured output");
    }
  }

  /** The scan itself finds a secret in each form it claims to cover, on stderr and in JUL. */
  @Test
  void scanFindsPlantedSecrets() {
    byte[] k = new byte[32];
    rng.nextBytes(k);
    for (String form : SecretScan.forms(k).keySet()) {
      try (OutputCapture cap = new OutputCapture()) {
        java.util.logging.Logger.getLogger("planted").finest("value " + SecretScan.forms(k).get(form));
        assertEquals(1, new SecretScan().add("k", k).scan(cap.text()).stream()
            .filter(h -> h.contains("(" + form + ")")).count(), form);
      }
    }
    try (OutputCapture cap = new OutputCapture()) {
      System.err.println("pin=" + "123456");
      assertEquals(List.of("pin appears (raw)", "pin appears (utf8)"),
          new SecretScan().add("pin", "123456").scan(cap.text()));
    }
  }

  private void failurePaths(OutputCapture cap, HsmServerKeys keys, byte[] cred,
      RegistrationRecord record, SealedBackupKey sealed, byte[] password,
      SoftHsmTokens.TestToken tt) throws Exception {
    // Wrong password: the client's envelope check fails.
    ClientLogin wrong = ClientLogin.start(suite, "not the password".getBytes(), rng);
    ServerLogin s1 = ServerLogin.start(suite, keys, cred, record, wrong.ke1(), Identities.NONE, rng);
    cap.noteThrowable(assertThrows(Exception.class, () -> wrong.finish(s1.ke2(), Identities.NONE)));
    // Tampered KE3: the server's MAC check fails.
    ClientLogin ok = ClientLogin.start(suite, password, rng);
    ServerLogin s2 = ServerLogin.start(suite, keys, cred, record, ok.ke1(), Identities.NONE, rng);
    ClientLogin.Result c2 = ok.finish(s2.ke2(), Identities.NONE);
    byte[] mac = c2.ke3().toBytes();
    mac[0] ^= 1;
    cap.noteThrowable(assertThrows(Exception.class, () -> s2.finish(new Ke3(mac))));
    // Session key cannot open the sealed key; malformed messages are refused.
    cap.noteThrowable(assertThrows(Exception.class, () -> BackupKeySealer.open(c2.sessionKey(), sealed)));
    byte[] ke1 = ok.ke1().toBytes();
    ke1[0] = 0x05;
    cap.noteThrowable(assertThrows(Exception.class, () -> Ke1.parse(ke1)));
    cap.noteThrowable(assertThrows(Exception.class, () -> Ke2.parse(new byte[12])));
    // Wrong PIN: the token refuses the login; the message must not carry either PIN.
    Pkcs11Config bad = Pkcs11Config.of(tt.config().module(), tt.config().token(),
        PinSource.of((tt.userPin() + "x").toCharArray()));
    cap.note(bad);
    cap.noteThrowable(assertThrows(Exception.class, () -> Pkcs11Token.open(bad).close()));
  }
}
