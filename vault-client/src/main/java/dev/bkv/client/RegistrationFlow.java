package dev.bkv.client;

import com.google.protobuf.ByteString;
import dev.bkv.node.api.RegisterStartRequest;
import dev.bkv.node.api.RegisterStartResponse;
import dev.bkv.client.FleetSession.Rpc;
import dev.bkv.opaque.CipherSuite;
import dev.bkv.opaque.ClientRegistration;
import dev.bkv.opaque.Identities;
import dev.bkv.opaque.RegistrationResponse;
import dev.bkv.recovery.BadInputException;
import dev.bkv.recovery.RecoveryException;
import dev.bkv.recovery.SecretBytes;
import dev.bkv.seal.BackupKeySealer;
import dev.bkv.seal.ResetKey;
import java.security.SecureRandom;

/**
 * The client half of a registration against one member, up to the upload: the record and the
 * backup key sealed under the new export key, plus the member's registration session. The
 * registration response comes through the fleet channel, so only the fleet key's holder can
 * have evaluated it.
 */
final class RegistrationFlow {
  /** What the upload carries; {@code resetKey} is the new record's (DESIGN §10). */
  record Upload(ByteString sessionId, ByteString record, ByteString sealedKey,
      ByteString resetKey) {}

  private RegistrationFlow() {}

  static Upload prepare(FleetSession s, CipherSuite suite, TrustAnchor trust, byte[] password,
      SecretBytes backupKey, SecureRandom rng) throws VaultClientException {
    try {
      ClientRegistration reg = ClientRegistration.start(suite, password, rng);
      RegisterStartResponse r = s.call(Rpc.REGISTER_START, RegisterStartRequest.newBuilder()
          .setRegistrationRequest(ByteString.copyFrom(reg.request().toBytes())).build(),
          RegisterStartResponse.parser());
      RegistrationResponse resp = RegistrationResponse.parse(
          r.getRegistrationResponse().toByteArray());
      trust.verify(resp.serverPublicKey());
      ClientRegistration.Result res = reg.finish(resp, Identities.NONE, rng);
      try {
        byte[] sealed = BackupKeySealer.seal(res.exportKey(), backupKey, rng).toBytes();
        byte[] resetKey = ResetKey.fromExportKey(res.exportKey()).publicKey();
        return new Upload(r.getSessionId(), ByteString.copyFrom(res.record().toBytes()),
            ByteString.copyFrom(sealed), ByteString.copyFrom(resetKey));
      } finally {
        res.exportKey().destroy();
      }
    } catch (BadInputException e) {
      throw new UntrustedFleetException("member sent a malformed registration response: "
          + e.getMessage(), e);
    } catch (RecoveryException e) {
      throw new RejectedException(Rejection.CLIENT_FAULT, "CLIENT",
          "registration computation failed: " + e.getMessage(), e);
    }
  }
}
