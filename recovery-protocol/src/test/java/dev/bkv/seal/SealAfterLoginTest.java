package dev.bkv.seal;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.opaque.CipherSuite;
import dev.bkv.opaque.ClientLogin;
import dev.bkv.opaque.ClientRegistration;
import dev.bkv.opaque.Identities;
import dev.bkv.opaque.Ksf;
import dev.bkv.opaque.ServerLogin;
import dev.bkv.opaque.ServerRegistration;
import dev.bkv.opaque.SoftwareServerKeys;
import dev.bkv.recovery.AuthenticationFailedException;
import dev.bkv.recovery.SecretBytes;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** DESIGN §6: seal at registration with export_key, open after a later login. */
class SealAfterLoginTest {
  private final SecureRandom rng = new SecureRandom();
  private final CipherSuite suite = new CipherSuite(new byte[0], Ksf.IDENTITY);
  private final SoftwareServerKeys keys = SoftwareServerKeys.generate(rng);

  @Test
  void backupKeySurvivesRegisterThenRecover() throws Exception {
    byte[] cred = "alice".getBytes();
    byte[] backup = new byte[32];
    rng.nextBytes(backup);
    ClientRegistration reg = ClientRegistration.start(suite, "pw".getBytes(), rng);
    ClientRegistration.Result r = reg.finish(
        new ServerRegistration(keys, cred).start(reg.request()), Identities.NONE, rng);
    byte[] stored = BackupKeySealer.seal(r.exportKey(), SecretBytes.copyOf(backup), rng)
        .toBytes();

    ClientLogin login = ClientLogin.start(suite, "pw".getBytes(), rng);
    ServerLogin server = ServerLogin.start(suite, keys, cred, r.record(), login.ke1(),
        Identities.NONE, rng);
    ClientLogin.Result cr = login.finish(server.ke2(), Identities.NONE);
    SecretBytes opened = BackupKeySealer.open(cr.exportKey(), SealedBackupKey.parse(stored));
    assertTrue(opened.equalsConstantTime(SecretBytes.copyOf(backup)));
    // The session key is not the export key: it cannot open the sealed key.
    assertThrows(AuthenticationFailedException.class,
        () -> BackupKeySealer.open(cr.sessionKey(), SealedBackupKey.parse(stored)));
  }
}
