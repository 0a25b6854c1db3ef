package dev.bkv.client;

import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import dev.bkv.channel.ChannelResponder;
import dev.bkv.node.api.ChannelError;
import dev.bkv.node.api.ChannelReply;
import dev.bkv.node.api.ChannelRequest;
import dev.bkv.node.api.ChannelResponse;
import dev.bkv.node.api.FleetChannel;
import dev.bkv.node.api.Ke2Answer;
import dev.bkv.node.api.RecoverFinishRequest;
import dev.bkv.node.api.RecoverFinishResponse;
import dev.bkv.node.api.RecoverStartRequest;
import dev.bkv.node.api.RecoverStartResponse;
import dev.bkv.node.api.RegisterFinishRequest;
import dev.bkv.node.api.RegisterFinishResponse;
import dev.bkv.node.api.RegisterStartRequest;
import dev.bkv.node.api.RegisterStartResponse;
import dev.bkv.node.api.SessionBox;
import dev.bkv.node.api.VaultGrpc;
import dev.bkv.opaque.CipherSuite;
import dev.bkv.opaque.Identities;
import dev.bkv.opaque.Ke1;
import dev.bkv.opaque.Ke3;
import dev.bkv.opaque.RegistrationRecord;
import dev.bkv.opaque.RegistrationRequest;
import dev.bkv.opaque.ServerLogin;
import dev.bkv.opaque.ServerRegistration;
import dev.bkv.opaque.SoftwareServerKeys;
import dev.bkv.recovery.AuthenticationFailedException;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A one-process stand-in for a fleet member, in software only: the fleet channel, OPAQUE
 * registration and login with {@link SoftwareServerKeys}, the session box. No attempt counter,
 * no Raft, no HSM: just enough to run the client's flows where PKCS#11 is absent.
 */
final class SoftwareMember extends VaultGrpc.VaultImplBase {
  private record Stored(RegistrationRecord record, byte[] sealedKey) {}

  private final SoftwareServerKeys keys;
  private final CipherSuite suite;
  private final SecureRandom rng = new SecureRandom();
  private final Map<String, Stored> records = new ConcurrentHashMap<>();
  private final Map<String, ServerLogin> logins = new ConcurrentHashMap<>();

  SoftwareMember(SoftwareServerKeys keys, CipherSuite suite) {
    this.keys = keys;
    this.suite = suite;
  }

  private interface Handler {
    MessageLite handle(byte[] user, byte[] request) throws Exception;
  }

  private void serve(String method, ChannelRequest req, StreamObserver<ChannelResponse> out,
      Handler h) {
    byte[] user = req.getUserId().toByteArray();
    ChannelResponder responder;
    try {
      responder = ChannelResponder.accept(keys::staticX, keys.serverPublicKey(),
          FleetChannel.prologue(method, user, req.getTenantToken()),
          req.getHandshake().toByteArray());
    } catch (AuthenticationFailedException e) {
      out.onError(Status.FAILED_PRECONDITION.withDescription("not my fleet key")
          .asRuntimeException());
      return;
    } catch (Exception e) {
      out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
      return;
    }
    ChannelReply reply;
    try {
      reply = ChannelReply.newBuilder().setMessage(
          h.handle(user, responder.payload()).toByteString()).build();
    } catch (Exception e) {
      reply = ChannelReply.newBuilder().setError(ChannelError.newBuilder()
          .setReason(ChannelError.Reason.BAD_REQUEST).setMessage(e.toString())).build();
    }
    out.onNext(ChannelResponse.newBuilder().setHandshake(ByteString.copyFrom(
        responder.respond(reply.toByteArray(), rng))).build());
    out.onCompleted();
  }

  @Override
  public void registerStart(ChannelRequest req, StreamObserver<ChannelResponse> out) {
    serve("RegisterStart", req, out, (user, b) -> RegisterStartResponse.newBuilder()
        .setRegistrationResponse(ByteString.copyFrom(new ServerRegistration(keys, user)
            .start(RegistrationRequest.parse(RegisterStartRequest.parseFrom(b)
                .getRegistrationRequest().toByteArray())).toBytes()))
        .setSessionId(ByteString.copyFrom(new byte[16])).build());
  }

  @Override
  public void registerFinish(ChannelRequest req, StreamObserver<ChannelResponse> out) {
    serve("RegisterFinish", req, out, (user, b) -> {
      RegisterFinishRequest r = RegisterFinishRequest.parseFrom(b);
      records.put(key(user), new Stored(RegistrationRecord.parse(
          r.getRegistrationRecord().toByteArray()), r.getSealedKey().toByteArray()));
      return RegisterFinishResponse.newBuilder().setAttemptLimit(10).build();
    });
  }

  @Override
  public void recoverStart(ChannelRequest req, StreamObserver<ChannelResponse> out) {
    serve("RecoverStart", req, out, (user, b) -> {
      Stored s = records.get(key(user));
      ServerLogin login = ServerLogin.start(suite, keys, user, s == null ? null : s.record(),
          Ke1.parse(RecoverStartRequest.parseFrom(b).getKe1().toByteArray()), Identities.NONE,
          rng);
      logins.put(key(user), login);
      return RecoverStartResponse.newBuilder().setKe2(Ke2Answer.newBuilder()
          .setKe2(ByteString.copyFrom(login.ke2().toBytes()))
          .setSessionId(ByteString.copyFrom(new byte[16])).setAttemptsLeft(9)).build();
    });
  }

  @Override
  public void recoverFinish(ChannelRequest req, StreamObserver<ChannelResponse> out) {
    serve("RecoverFinish", req, out, (user, b) -> {
      ServerLogin login = logins.remove(key(user));
      ServerLogin.Result r = login.finish(Ke3.parse(RecoverFinishRequest.parseFrom(b)
          .getKe3().toByteArray()));
      byte[] box = SessionBox.seal(r.sessionKey(), records.get(key(user)).sealedKey(), rng);
      byte[] token = new byte[32];
      rng.nextBytes(token);
      return RecoverFinishResponse.newBuilder().setEncryptedSealedKey(ByteString.copyFrom(box))
          .setLoginToken(ByteString.copyFrom(token)).build();
    });
  }

  private static String key(byte[] user) {
    return ByteString.copyFrom(user).toStringUtf8();
  }
}
