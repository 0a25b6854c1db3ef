package dev.bkv.node.api;

import com.google.protobuf.ByteString;
import dev.bkv.node.service.ServiceException;
import dev.bkv.node.service.VaultService;
import dev.bkv.node.store.AuditEntry;
import dev.bkv.node.store.UserId;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The gRPC face of {@link VaultService}: converts messages, and maps each {@link
 * ServiceException.Reason} to one status code (see vault.proto). No logic lives here.
 */
public final class VaultGrpcService extends VaultGrpc.VaultImplBase {
  private final VaultService service;
  private final String memberId;
  private final Supplier<Map<String, String>> leaders;

  public VaultGrpcService(VaultService service, String memberId,
      Supplier<Map<String, String>> leaders) {
    this.service = service;
    this.memberId = memberId;
    this.leaders = leaders;
  }

  private interface Call<T> {
    T run() throws ServiceException;
  }

  private static <T> void answer(StreamObserver<T> out, Call<T> call) {
    T reply;
    try {
      reply = call.run();
    } catch (ServiceException e) {
      out.onError(status(e).withDescription(e.getMessage()).asRuntimeException());
      return;
    } catch (RuntimeException e) {
      out.onError(Status.INTERNAL.withDescription("internal error: " + e.getClass()
          .getSimpleName()).asRuntimeException());
      return;
    }
    out.onNext(reply);
    out.onCompleted();
  }

  static Status status(ServiceException e) {
    return switch (e.reason()) {
      case BAD_REQUEST -> Status.INVALID_ARGUMENT;
      case NO_SESSION -> Status.NOT_FOUND;
      case LOGIN_FAILED -> Status.UNAUTHENTICATED;
      case EXISTS -> Status.ALREADY_EXISTS;
      case CHANGED -> Status.ABORTED;
      case UNAVAILABLE -> Status.UNAVAILABLE;
      case FORBIDDEN -> Status.PERMISSION_DENIED;
      case FAULT -> Status.INTERNAL;
      case UNAUTHORIZED -> Status.UNAUTHENTICATED;
      case RATE_LIMITED -> Status.RESOURCE_EXHAUSTED;
    };
  }

  private static ByteString bytes(byte[] b) {
    return ByteString.copyFrom(b);
  }

  @Override
  public void registerStart(RegisterStartRequest req, StreamObserver<RegisterStartResponse> out) {
    answer(out, () -> {
      VaultService.RegisterStarted r = service.registerStart(req.getUserId().toByteArray(),
          req.getRegistrationRequest().toByteArray());
      return RegisterStartResponse.newBuilder()
          .setRegistrationResponse(bytes(r.registrationResponse()))
          .setSessionId(bytes(r.sessionId())).build();
    });
  }

  @Override
  public void registerFinish(RegisterFinishRequest req,
      StreamObserver<RegisterFinishResponse> out) {
    answer(out, () -> RegisterFinishResponse.newBuilder().setAttemptLimit(
        service.registerFinish(req.getSessionId().toByteArray(),
            req.getRegistrationRecord().toByteArray(), req.getSealedKey().toByteArray(),
            req.getRegistrationId().toByteArray()))
        .build());
  }

  @Override
  public void recoverStart(RecoverStartRequest req, StreamObserver<RecoverStartResponse> out) {
    answer(out, () -> {
      VaultService.RecoverStarted r = service.recoverStart(req.getUserId().toByteArray(),
          req.getKe1().toByteArray());
      RecoverStartResponse.Builder b = RecoverStartResponse.newBuilder();
      if (r.locked()) {
        return b.setLocked(Locked.getDefaultInstance()).build();
      }
      return b.setKe2(Ke2Answer.newBuilder().setKe2(bytes(r.ke2()))
          .setSessionId(bytes(r.sessionId())).setAttemptsLeft(r.attemptsLeft())).build();
    });
  }

  @Override
  public void recoverFinish(RecoverFinishRequest req,
      StreamObserver<RecoverFinishResponse> out) {
    answer(out, () -> {
      VaultService.Recovered r = service.recoverFinish(req.getSessionId().toByteArray(),
          req.getKe3().toByteArray());
      RecoverFinishResponse.Builder b = RecoverFinishResponse.newBuilder()
          .setEncryptedSealedKey(bytes(r.encryptedSealedKey()))
          .setLoginToken(bytes(r.loginToken()));
      for (AuditEntry a : r.audit()) {
        b.addAudit(AuditEvent.newBuilder().setKind(a.kind().name()).setTimeMs(a.timeMillis())
            .setAttemptsUsed(a.attemptsUsed()).setAttemptLimit(a.attemptLimit()));
      }
      return b.build();
    });
  }

  @Override
  public void delete(DeleteRequest req, StreamObserver<DeleteResponse> out) {
    answer(out, () -> {
      service.delete(req.getLoginToken().toByteArray());
      return DeleteResponse.getDefaultInstance();
    });
  }

  @Override
  public void changePassword(ChangePasswordRequest req,
      StreamObserver<ChangePasswordResponse> out) {
    answer(out, () -> {
      service.changePassword(req.getLoginToken().toByteArray(), req.getSessionId().toByteArray(),
          req.getRegistrationRecord().toByteArray(), req.getSealedKey().toByteArray());
      return ChangePasswordResponse.getDefaultInstance();
    });
  }

  @Override
  public void status(StatusRequest req, StreamObserver<StatusResponse> out) {
    answer(out, () -> {
      StatusResponse.Builder b = StatusResponse.newBuilder().setMemberId(memberId)
          .setFleetId(service.config().fleetId()).setEpoch(service.config().epoch())
          .setFleetPublicKey(bytes(service.serverKeys().serverPublicKey().toCompressed()))
          .setAttemptLimit(service.config().attemptLimit())
          .putAllShardLeaders(leaders.get());
      if (!req.getUserId().isEmpty()) {
        UserId user;
        try {
          user = new UserId(req.getUserId().toByteArray());
        } catch (IllegalArgumentException e) {
          throw new ServiceException(ServiceException.Reason.BAD_REQUEST, e.getMessage(), e);
        }
        if (!service.config().statusUserEvaluations()) {
          throw new ServiceException(ServiceException.Reason.FORBIDDEN, "this member does not "
              + "report per-user evaluations (node.status.user-evaluations is off)");
        }
        b.setLoginEvaluations(service.evaluations().logins(user));
      }
      return b.build();
    });
  }
}
