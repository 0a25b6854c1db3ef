package dev.bkv.node.api;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import dev.bkv.channel.ChannelResponder;
import dev.bkv.node.api.ChannelError.Reason;
import dev.bkv.node.service.Migrations;
import dev.bkv.node.service.ServiceException;
import dev.bkv.node.service.VaultService;
import dev.bkv.node.store.AuditEntry;
import dev.bkv.node.store.ClosureReceipts;
import dev.bkv.node.store.UserId;
import dev.bkv.recovery.AuthenticationFailedException;
import dev.bkv.recovery.BadInputException;
import dev.bkv.recovery.RecoveryException;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.lang.System.Logger.Level;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The gRPC face of {@link VaultService}. Every call but {@code Status} runs in the fleet channel
 * (vault.proto): the tenant token and rate limit are checked first ({@link CallGate}), then the
 * handshake is read with one HSM ECDH, the inner request decoded and served, and the answer —
 * an inner response or a {@link ChannelError} — sent back through the channel. No logic lives
 * here.
 */
public final class VaultGrpcService extends VaultGrpc.VaultImplBase {
  private static final System.Logger LOG = System.getLogger(VaultGrpcService.class.getName());

  private final VaultService service;
  private final String memberId;
  private final Supplier<Map<String, String>> leaders;
  private final Supplier<Map<Integer, Long>> shardRecords;
  private final CallGate gate;
  private final Migrations migrations;
  private final SecureRandom rng = new SecureRandom();

  /** A member that takes part in no migration (it signs no receipts, activates nothing). */
  public VaultGrpcService(VaultService service, String memberId,
      Supplier<Map<String, String>> leaders, CallGate gate) {
    this(service, memberId, leaders, gate, null);
  }

  /** With {@code migrations} serving closure receipts and activations (DESIGN §11). */
  public VaultGrpcService(VaultService service, String memberId,
      Supplier<Map<String, String>> leaders, CallGate gate, Migrations migrations) {
    this(service, memberId, leaders, gate, migrations, Map::of);
  }

  /** Also answering, in the status, the records of each shard ({@code shardRecords}). */
  public VaultGrpcService(VaultService service, String memberId,
      Supplier<Map<String, String>> leaders, CallGate gate, Migrations migrations,
      Supplier<Map<Integer, Long>> shardRecords) {
    this.shardRecords = shardRecords;
    this.migrations = migrations != null ? migrations : Migrations.none(memberId);
    this.service = service;
    this.memberId = memberId;
    this.leaders = leaders;
    this.gate = gate;
  }

  /** One inner call: the authorised user and the decrypted payload in, an inner reply out. */
  private interface Inner {
    MessageLite serve(UserId user, byte[] payload) throws ServiceException,
        InvalidProtocolBufferException;
  }

  private void channel(String method, ChannelRequest req, StreamObserver<ChannelResponse> out,
      Inner inner) {
    ChannelResponder responder;
    UserId user;
    try {
      user = VaultService.userId(req.getUserId().toByteArray());
      if (req.getTenantToken().length() > FleetChannel.MAX_TOKEN_LENGTH) {
        throw new ServiceException(Reason.UNAUTHORIZED, "tenant token is "
            + req.getTenantToken().length() + " characters; at most "
            + FleetChannel.MAX_TOKEN_LENGTH);
      }
      gate.admit(method, req.getTenantToken(), user);
      responder = ChannelResponder.accept(service.serverKeys()::staticX,
          service.serverKeys().serverPublicKey(), FleetChannel.prologue(method,
              user.bytes(), req.getTenantToken()), req.getHandshake().toByteArray());
    } catch (ServiceException e) {
      out.onError(status(e).withDescription(e.getMessage()).asRuntimeException());
      return;
    } catch (BadInputException e) {
      out.onError(Status.INVALID_ARGUMENT.withDescription("channel handshake: "
          + e.getMessage()).asRuntimeException());
      return;
    } catch (AuthenticationFailedException e) {
      out.onError(Status.FAILED_PRECONDITION.withDescription("this member serves fleet key "
          + HexFormat.of().formatHex(service.serverKeys().serverPublicKey().toCompressed())
          + ": " + e.getMessage()).asRuntimeException());
      return;
    } catch (RecoveryException | RuntimeException e) {
      out.onError(internal(method, e).asRuntimeException());
      return;
    }
    ChannelReply reply;
    try {
      reply = ChannelReply.newBuilder().setMessage(
          inner.serve(user, responder.payload()).toByteString()).build();
    } catch (ServiceException e) {
      reply = error(e.reason(), e.getMessage());
    } catch (InvalidProtocolBufferException e) {
      reply = error(Reason.BAD_REQUEST, method + " request is not a valid message: "
          + e.getMessage());
    } catch (RuntimeException e) {
      Status s = internal(method, e);
      reply = error(Reason.FAULT, s.getDescription());
    }
    out.onNext(ChannelResponse.newBuilder().setHandshake(ByteString.copyFrom(
        responder.respond(reply.toByteArray(), rng))).build());
    out.onCompleted();
  }

  /** Logs an unexpected fault (type and message, never request bytes) under a new id. */
  private static Status internal(String method, Exception e) {
    String id = UUID.randomUUID().toString();
    LOG.log(Level.ERROR, "internal fault " + id + " in " + method + ": " + e, e);
    return Status.INTERNAL.withDescription("internal fault " + id + " (see the member log)");
  }

  private static ChannelReply error(Reason reason, String message) {
    return ChannelReply.newBuilder().setError(ChannelError.newBuilder()
        .setReason(reason).setMessage(message == null ? "" : message))
        .build();
  }

  static Status status(ServiceException e) {
    return Status.fromCode(ChannelErrors.statusCode(e.reason()));
  }

  private static ByteString bytes(byte[] b) {
    return ByteString.copyFrom(b);
  }

  @Override
  public void registerStart(ChannelRequest req, StreamObserver<ChannelResponse> out) {
    channel("RegisterStart", req, out, (user, payload) -> {
      RegisterStartRequest r = RegisterStartRequest.parseFrom(payload);
      VaultService.RegisterStarted s = service.registerStart(user,
          r.getRegistrationRequest().toByteArray());
      return RegisterStartResponse.newBuilder()
          .setRegistrationResponse(bytes(s.registrationResponse()))
          .setSessionId(bytes(s.sessionId())).build();
    });
  }

  @Override
  public void registerFinish(ChannelRequest req, StreamObserver<ChannelResponse> out) {
    channel("RegisterFinish", req, out, (user, payload) -> {
      RegisterFinishRequest r = RegisterFinishRequest.parseFrom(payload);
      return RegisterFinishResponse.newBuilder().setAttemptLimit(service.registerFinish(user,
          r.getSessionId().toByteArray(), r.getRegistrationRecord().toByteArray(),
          r.getSealedKey().toByteArray(), r.getRegistrationId().toByteArray(),
          r.getResetKey().toByteArray(), r.getStaged())).build();
    });
  }

  @Override
  public void recoverStart(ChannelRequest req, StreamObserver<ChannelResponse> out) {
    channel("RecoverStart", req, out, (user, payload) -> {
      RecoverStartRequest r = RecoverStartRequest.parseFrom(payload);
      VaultService.RecoverStarted s = service.recoverStart(user, r.getKe1().toByteArray());
      RecoverStartResponse.Builder b = RecoverStartResponse.newBuilder();
      if (s.locked()) {
        return b.setLocked(Locked.getDefaultInstance()).build();
      }
      return b.setKe2(Ke2Answer.newBuilder().setKe2(bytes(s.ke2()))
          .setSessionId(bytes(s.sessionId())).setAttemptsLeft(s.attemptsLeft())
          .setAttemptIndex(s.attemptIndex())).build();
    });
  }

  @Override
  public void recoverFinish(ChannelRequest req, StreamObserver<ChannelResponse> out) {
    channel("RecoverFinish", req, out, (user, payload) -> {
      RecoverFinishRequest r = RecoverFinishRequest.parseFrom(payload);
      VaultService.Recovered s = service.recoverFinish(user, r.getSessionId().toByteArray(),
          r.getKe3().toByteArray(), r.getResetSignature().toByteArray());
      RecoverFinishResponse.Builder b = RecoverFinishResponse.newBuilder()
          .setEncryptedSealedKey(bytes(s.encryptedSealedKey()))
          .setLoginToken(bytes(s.loginToken()));
      for (AuditEntry a : s.audit()) {
        b.addAudit(AuditEvent.newBuilder().setKind(a.kind().name()).setTimeMs(a.timeMillis())
            .setAttemptsUsed(a.attemptsUsed()).setAttemptLimit(a.attemptLimit()));
      }
      return b.build();
    });
  }

  @Override
  public void delete(ChannelRequest req, StreamObserver<ChannelResponse> out) {
    channel("Delete", req, out, (user, payload) -> {
      DeleteRequest r = DeleteRequest.parseFrom(payload);
      service.delete(user, r.getLoginToken().toByteArray(), r.getBinding().toByteArray(),
          r.getSuccessor().toByteArray());
      return DeleteResponse.getDefaultInstance();
    });
  }

  @Override
  public void changePassword(ChannelRequest req, StreamObserver<ChannelResponse> out) {
    channel("ChangePassword", req, out, (user, payload) -> {
      ChangePasswordRequest r = ChangePasswordRequest.parseFrom(payload);
      service.changePassword(user, r.getLoginToken().toByteArray(),
          r.getSessionId().toByteArray(), r.getRegistrationRecord().toByteArray(),
          r.getSealedKey().toByteArray(), r.getResetKey().toByteArray(),
          r.getBinding().toByteArray());
      return ChangePasswordResponse.getDefaultInstance();
    });
  }

  @Override
  public void closureReceipt(ChannelRequest req, StreamObserver<ChannelResponse> out) {
    channel("ClosureReceipt", req, out, (user, payload) -> {
      ClosureReceiptRequest.parseFrom(payload);
      Migrations.Receipt r = migrations.receipt(user);
      return ClosureReceipt.newBuilder().setMemberId(r.memberId()).setFleetId(r.fleetId())
          .setEpoch(r.epoch()).setSuccessor(bytes(r.successor())).setAttempts(r.attempts())
          .setSignature(bytes(r.signature())).build();
    });
  }

  @Override
  public void activate(ChannelRequest req, StreamObserver<ChannelResponse> out) {
    channel("Activate", req, out, (user, payload) -> {
      ActivateRequest r = ActivateRequest.parseFrom(payload);
      if (r.getSuccessor().size() != MigrationDigest.LENGTH
          || r.getReceiptsCount() > ClosureReceipts.MAX_RECEIPTS) {
        throw new ServiceException(Reason.BAD_REQUEST, "activation needs a "
            + MigrationDigest.LENGTH + "-byte successor and at most "
            + ClosureReceipts.MAX_RECEIPTS + " receipts");
      }
      List<ClosureReceipts.Receipt> receipts = new ArrayList<>();
      for (ClosureReceipt c : r.getReceiptsList()) {
        if (!c.getSuccessor().equals(r.getSuccessor()) || c.getAttempts() != r.getAttempts()) {
          continue; // a receipt for another closure proves nothing here
        }
        try {
          receipts.add(new ClosureReceipts.Receipt(c.getMemberId(),
              c.getSignature().toByteArray()));
        } catch (IllegalArgumentException e) {
          throw new ServiceException(Reason.BAD_REQUEST, "closure receipt of '"
              + c.getMemberId() + "': " + e.getMessage());
        }
      }
      int left = migrations.activate(user, r.getSuccessor().toByteArray(), r.getAttempts(),
          receipts);
      return ActivateResponse.newBuilder().setAttemptsLeft(left).build();
    });
  }

  @Override
  public void status(StatusRequest req, StreamObserver<StatusResponse> out) {
    try {
      StatusResponse.Builder b = StatusResponse.newBuilder().setMemberId(memberId)
          .setFleetId(service.config().fleetId()).setEpoch(service.config().epoch())
          .setFleetPublicKey(bytes(service.serverKeys().serverPublicKey().toCompressed()))
          .setAttemptLimit(service.config().attemptLimit())
          .putAllShardLeaders(leaders.get());
      shardRecords.get().forEach(b::putShardRecords);
      if (!req.getUserId().isEmpty()) {
        UserId user = VaultService.userId(req.getUserId().toByteArray());
        if (!service.config().statusUserEvaluations()) {
          throw new ServiceException(Reason.FORBIDDEN, "this member does not "
              + "report per-user evaluations (node.status.user-evaluations is off)");
        }
        b.setLoginEvaluations(service.evaluations().logins(user));
      }
      out.onNext(b.build());
      out.onCompleted();
    } catch (ServiceException e) {
      out.onError(status(e).withDescription(e.getMessage()).asRuntimeException());
    } catch (RuntimeException e) {
      out.onError(internal("Status", e).asRuntimeException());
    }
  }
}
