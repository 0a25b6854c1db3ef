package dev.bkv.client;

import com.google.protobuf.ByteString;
import dev.bkv.client.FleetSession.Rpc;
import dev.bkv.node.api.Ke2Answer;
import dev.bkv.node.api.LoginBinding;
import dev.bkv.node.api.RecoverFinishRequest;
import dev.bkv.node.api.RecoverFinishResponse;
import dev.bkv.node.api.RecoverStartRequest;
import dev.bkv.node.api.RecoverStartResponse;
import dev.bkv.node.api.SessionBox;
import dev.bkv.opaque.CipherSuite;
import dev.bkv.opaque.ClientLogin;
import dev.bkv.opaque.Identities;
import dev.bkv.opaque.Ke2;
import dev.bkv.recovery.AuthenticationFailedException;
import dev.bkv.recovery.BadInputException;
import dev.bkv.recovery.RecoveryException;
import dev.bkv.recovery.SecretBytes;
import dev.bkv.seal.BackupKeySealer;
import dev.bkv.seal.ResetKey;
import dev.bkv.seal.SealedBackupKey;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;

/**
 * One OPAQUE login against one member, in the fleet channel: KE1 → KE2 (or an authenticated
 * {@code locked}) → KE3 → the backup key, a login token and the key that binds a delete or
 * password change to this login ({@link LoginBinding}).
 */
final class LoginFlow {
  /** A completed login; the caller destroys both secrets. */
  record Done(SecretBytes backupKey, byte[] loginToken, SecretBytes bindingKey,
      List<AuditEvent> audit) {}

  private LoginFlow() {}

  static Done run(FleetSession s, CipherSuite suite, TrustAnchor trust, String userLabel,
      byte[] password, SecureRandom rng) throws VaultClientException {
    try {
      ClientLogin login = ClientLogin.start(suite, password, rng);
      RecoverStartResponse start = s.call(Rpc.RECOVER_START, RecoverStartRequest.newBuilder()
          .setKe1(ByteString.copyFrom(login.ke1().toBytes())).build(),
          RecoverStartResponse.parser());
      if (start.hasLocked()) {
        throw new LockedException(userLabel);
      }
      if (!start.hasKe2()) {
        throw new UntrustedFleetException("member answered KE1 with neither KE2 nor locked",
            null);
      }
      Ke2Answer a = start.getKe2();
      Ke2 ke2 = Ke2.parse(a.getKe2().toByteArray());
      ClientLogin.Result r;
      try {
        r = login.finish(ke2, Identities.NONE);
      } catch (AuthenticationFailedException e) {
        throw new WrongPasswordException(a.getAttemptsLeft());
      }
      trust.verify(r.serverPublicKey());
      // Only the password's holder has the record's reset key: its signature over this attempt
      // is what gives the record its attempts back (DESIGN §10).
      byte[] resetSignature = ResetKey.fromExportKey(r.exportKey()).sign(s.user(),
          a.getAttemptIndex());
      RecoverFinishResponse fin = s.call(Rpc.RECOVER_FINISH, RecoverFinishRequest.newBuilder()
          .setSessionId(a.getSessionId()).setKe3(ByteString.copyFrom(r.ke3().toBytes()))
          .setResetSignature(ByteString.copyFrom(resetSignature)).build(),
          RecoverFinishResponse.parser());
      SecretBytes bindingKey = LoginBinding.key(r.sessionKey());
      byte[] sealed;
      try {
        sealed = SessionBox.open(r.sessionKey(), fin.getEncryptedSealedKey().toByteArray());
      } catch (GeneralSecurityException e) {
        bindingKey.destroy();
        throw new UntrustedFleetException("the sealed key did not open under the session key",
            e);
      } finally {
        r.sessionKey().destroy();
      }
      try {
        SecretBytes key = BackupKeySealer.open(r.exportKey(), SealedBackupKey.parse(sealed));
        return new Done(key, fin.getLoginToken().toByteArray(), bindingKey,
            fin.getAuditList().stream()
            .map(e -> new AuditEvent(e.getKind(), e.getTimeMs(), e.getAttemptsUsed(),
                e.getAttemptLimit())).toList());
      } finally {
        Arrays.fill(sealed, (byte) 0);
        r.exportKey().destroy();
      }
    } catch (BadInputException e) {
      throw new UntrustedFleetException("member sent a malformed message: " + e.getMessage(), e);
    } catch (AuthenticationFailedException e) {
      throw new UntrustedFleetException("the stored sealed key did not open with this login's "
          + "export key: " + e.getMessage(), e);
    } catch (RecoveryException e) {
      throw new RejectedException(Rejection.CLIENT_FAULT, "CLIENT", "login computation failed: "
          + e.getMessage(), e);
    }
  }
}
