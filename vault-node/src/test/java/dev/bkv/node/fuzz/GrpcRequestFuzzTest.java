package dev.bkv.node.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.bkv.node.api.ChangePasswordRequest;
import dev.bkv.node.api.ChangePasswordResponse;
import dev.bkv.node.api.DeleteRequest;
import dev.bkv.node.api.DeleteResponse;
import dev.bkv.node.api.RecoverFinishRequest;
import dev.bkv.node.api.RecoverFinishResponse;
import dev.bkv.node.api.RecoverStartRequest;
import dev.bkv.node.api.RecoverStartResponse;
import dev.bkv.node.api.RegisterFinishRequest;
import dev.bkv.node.api.RegisterFinishResponse;
import dev.bkv.node.api.RegisterStartRequest;
import dev.bkv.node.api.RegisterStartResponse;
import dev.bkv.node.api.StatusRequest;
import dev.bkv.node.api.StatusResponse;
import dev.bkv.node.api.VaultGrpc;
import dev.bkv.node.api.VaultGrpcService;
import dev.bkv.node.service.ServiceConfig;
import dev.bkv.node.service.VaultService;
import dev.bkv.node.store.UserId;
import dev.bkv.node.tenant.TenantConfig;
import dev.bkv.opaque.Ke1;
import dev.bkv.opaque.RegistrationResponse;
import dev.bkv.opaque.SoftwareServerKeys;
import dev.bkv.recovery.BadInputException;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.Set;

/**
 * Fuzz targets for the vault node's API, one per request of {@code vault.proto}. The bytes go
 * through the RPC's request marshaller (the protobuf parser the gRPC server runs) and then
 * through {@link VaultGrpcService} over a real {@link VaultService} with software server keys:
 * user id checks, OPAQUE message parsing, session id and login token checks. Property: the
 * marshaller refuses only with {@link InvalidProtocolBufferException}; the service answers OK
 * or a typed refusal (INVALID_ARGUMENT, NOT_FOUND) naming the problem, never INTERNAL (which is
 * what {@link VaultGrpcService} makes of an unexpected exception). {@code scripts/fuzz} also makes
 * an input that runs over 10 s a finding (a hang).
 *
 * <p>There is no Raft store and no record key (both null, so reaching either is INTERNAL):
 * every request a fuzzer can write stops before them, since session ids and login tokens are
 * random and each input gets a fresh service. The one exception is a well-formed KE1, whose next
 * step commits the attempt through Raft; {@link #recoverStart} checks such requests with the
 * public parsers and hands the service only the others. Seeds are in {@code
 * src/test/resources/dev/bkv/node/fuzz/GrpcRequestFuzzTestInputs/<target>/}.
 */

class GrpcRequestFuzzTest {
  private static final SecureRandom RNG = new SecureRandom();
  private static final SoftwareServerKeys KEYS = SoftwareServerKeys.generate(RNG);
  private static final ServiceConfig CONFIG = new ServiceConfig("127.0.0.1", 0, "fuzz", 1, 10,
      ServiceConfig.DEFAULT_CONTEXT, null, null, true, 30_000, null, true,
        TenantConfig.withDefaults(Path.of("unused-tenant-keys.json"), "fuzz"));
  private static final Set<Status.Code> REFUSED =
      Set.of(Status.Code.INVALID_ARGUMENT, Status.Code.NOT_FOUND);
  private static final Set<Status.Code> OK_OR_INVALID =
      Set.of(Status.Code.OK, Status.Code.INVALID_ARGUMENT);

  /** A fresh member: no sessions, no store, no record key. */
  private static VaultGrpcService member() {
    return new VaultGrpcService(new VaultService(null, KEYS, null, CONFIG, Clock.systemUTC(), RNG),
        "fuzz-member", Map::of);
  }

  /** The request as the server's marshaller decodes it, or null if it refuses the bytes. */
  private static <Q> Q decode(MethodDescriptor<Q, ?> method, byte[] data) {
    try {
      return method.parseRequest(new ByteArrayInputStream(data));
    } catch (StatusRuntimeException e) {
      if (!(e.getCause() instanceof InvalidProtocolBufferException)) {
        throw e;
      }
      return null;
    }
  }

  /** Collects the one answer of a unary call. */
  private static final class Answer<R> implements StreamObserver<R> {
    private R value;
    private Status status;
    private boolean completed;

    @Override
    public void onNext(R v) {
      assertNull(value, "two replies to a unary call");
      value = v;
    }

    @Override
    public void onError(Throwable t) {
      status = Status.fromThrowable(t);
    }

    @Override
    public void onCompleted() {
      completed = true;
    }

    /** The status code; asserts it is one of {@code allowed} and that a refusal says why. */
    Status.Code code(Set<Status.Code> allowed) {
      if (status == null) {
        assertTrue(completed && value != null, "the call neither answered nor failed");
        assertTrue(allowed.contains(Status.Code.OK), "answered OK; expected one of " + allowed);
        return Status.Code.OK;
      }
      assertFalse(completed || value != null, "the call both answered and failed");
      Status.Code code = status.getCode();
      if (!allowed.contains(code)) {
        fail("answered " + code + " (" + status.getDescription() + "); expected one of "
            + allowed, status.getCause());
      }
      String why = status.getDescription();
      assertTrue(why != null && !why.isBlank(), code + " without a description");
      return code;
    }
  }

  @FuzzTest
  void registerStart(byte[] data) {
    RegisterStartRequest req = decode(VaultGrpc.getRegisterStartMethod(), data);
    if (req == null) {
      return;
    }
    Answer<RegisterStartResponse> a = new Answer<>();
    member().registerStart(req, a);
    if (a.code(OK_OR_INVALID) == Status.Code.OK) {
      assertEquals(RegistrationResponse.LENGTH, a.value.getRegistrationResponse().size());
      assertEquals(VaultService.SESSION_ID_LENGTH, a.value.getSessionId().size());
    }
  }

  @FuzzTest
  void registerFinish(byte[] data) {
    RegisterFinishRequest req = decode(VaultGrpc.getRegisterFinishMethod(), data);
    if (req != null) {
      Answer<RegisterFinishResponse> a = new Answer<>();
      member().registerFinish(req, a);
      a.code(REFUSED);
    }
  }

  @FuzzTest
  void recoverStart(byte[] data) {
    RecoverStartRequest req = decode(VaultGrpc.getRecoverStartMethod(), data);
    if (req == null || wellFormed(req)) {
      return;
    }
    Answer<RecoverStartResponse> a = new Answer<>();
    member().recoverStart(req, a);
    a.code(Set.of(Status.Code.INVALID_ARGUMENT));
  }

  /** True if the service would go on to commit an attempt; a KE1 must re-encode to itself. */
  private static boolean wellFormed(RecoverStartRequest req) {
    try {
      new UserId(req.getUserId().toByteArray());
    } catch (IllegalArgumentException badUserId) {
      return false;
    }
    byte[] bytes = req.getKe1().toByteArray();
    try {
      assertArrayEquals(bytes, Ke1.parse(bytes).toBytes(), "KE1 parse -> toBytes");
      return true;
    } catch (BadInputException badKe1) {
      return false;
    }
  }

  @FuzzTest
  void recoverFinish(byte[] data) {
    RecoverFinishRequest req = decode(VaultGrpc.getRecoverFinishMethod(), data);
    if (req != null) {
      Answer<RecoverFinishResponse> a = new Answer<>();
      member().recoverFinish(req, a);
      a.code(REFUSED);
    }
  }

  @FuzzTest
  void delete(byte[] data) {
    DeleteRequest req = decode(VaultGrpc.getDeleteMethod(), data);
    if (req != null) {
      Answer<DeleteResponse> a = new Answer<>();
      member().delete(req, a);
      a.code(REFUSED);
    }
  }

  @FuzzTest
  void changePassword(byte[] data) {
    ChangePasswordRequest req = decode(VaultGrpc.getChangePasswordMethod(), data);
    if (req != null) {
      Answer<ChangePasswordResponse> a = new Answer<>();
      member().changePassword(req, a);
      a.code(REFUSED);
    }
  }

  @FuzzTest
  void status(byte[] data) {
    StatusRequest req = decode(VaultGrpc.getStatusMethod(), data);
    if (req == null) {
      return;
    }
    Answer<StatusResponse> a = new Answer<>();
    member().status(req, a);
    if (a.code(OK_OR_INVALID) == Status.Code.OK) {
      assertArrayEquals(KEYS.serverPublicKey().toCompressed(),
          a.value.getFleetPublicKey().toByteArray());
      assertEquals(0, a.value.getLoginEvaluations());
    } else {
      assertTrue(req.getUserId().size() > UserId.MAX_LENGTH, "refused user id of "
          + req.getUserId().size() + " bytes");
    }
  }

}
