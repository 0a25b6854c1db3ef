package dev.bkv.node.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.bkv.channel.ChannelInitiator;
import dev.bkv.node.api.ChannelErrors;
import dev.bkv.node.api.ChannelReply;
import dev.bkv.node.api.ChannelRequest;
import dev.bkv.node.api.ChannelResponse;
import dev.bkv.node.api.FleetChannel;
import dev.bkv.node.api.ChangePasswordRequest;
import dev.bkv.node.api.DeleteRequest;
import dev.bkv.node.api.RecoverFinishRequest;
import dev.bkv.node.api.RecoverStartRequest;
import dev.bkv.node.api.RegisterFinishRequest;
import dev.bkv.node.api.RegisterStartRequest;
import dev.bkv.node.api.RegisterStartResponse;
import dev.bkv.node.api.StatusRequest;
import dev.bkv.node.api.StatusResponse;
import dev.bkv.node.api.VaultGrpc;
import dev.bkv.node.api.VaultGrpcService;
import dev.bkv.node.service.ServiceConfig;
import dev.bkv.node.service.SoloOprf;
import dev.bkv.node.service.VaultService;
import dev.bkv.node.store.UserId;
import dev.bkv.node.testing.LocalRecords;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.Set;

/**
 * Fuzz targets for the vault node's API, one per inner request of {@code vault.proto}, plus one
 * for the outer {@code ChannelRequest}. An inner target's bytes go through the request parser
 * and are then sent as a client would, encrypted in the fleet channel, to {@link
 * VaultGrpcService} over a real {@link VaultService} with software server keys: OPAQUE message
 * parsing, session id and login token checks. Property: the service answers in the channel
 * with OK or a typed refusal (INVALID_ARGUMENT, NOT_FOUND) naming the problem, never INTERNAL
 * (which is what {@link VaultGrpcService} makes of an unexpected exception). The outer target
 * checks that bytes nobody encrypted to the fleet key get a plain INVALID_ARGUMENT or
 * FAILED_PRECONDITION. {@code scripts/fuzz} also makes an input that runs over 10 s a finding (a
 * hang).
 *
 * <p>The store is {@link LocalRecords} (a real record store, no cluster), shared by every
 * input; there is no record key (null, so reaching it is INTERNAL). Every request a fuzzer can
 * write stops before the record key, since session ids and login tokens are random and each
 * input gets a fresh service. A well-formed KE1 goes on to commit an attempt for a user without
 * a record and must be answered with the fake KE2 (OK); {@link #recoverStart} tells such
 * requests apart with the public parsers. Seeds are in {@code
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
  private static final byte[] USER = "fuzz-user".getBytes(StandardCharsets.UTF_8);

  private static final LocalRecords RECORDS = openRecords();

  private static final VaultService SERVICE = openService();

  private static VaultService openService() {
    try {
      return SoloOprf.service(RECORDS, KEYS, null, CONFIG, RNG);
    } catch (Exception e) {
      throw new IllegalStateException("cannot set up the fuzz member: " + e.getMessage(), e);
    }
  }

  private static LocalRecords openRecords() {
    try {
      LocalRecords r = LocalRecords.open();
      Runtime.getRuntime().addShutdownHook(new Thread(r::close, "fuzz-records-close"));
      return r;
    } catch (Exception e) {
      throw new IllegalStateException("cannot open a local record store: " + e.getMessage(), e);
    }
  }

  /** A fresh member: no sessions, a local store, no record key; every tenant token admitted. */
  private static VaultGrpcService member() {
    return new VaultGrpcService(SERVICE, "fuzz-member", Map::of, (method, token, user) -> { });
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

  /** The inner request as its parser decodes it, or null if it refuses the bytes. */
  private static <Q> Q inner(com.google.protobuf.Parser<Q> parser, byte[] data) {
    try {
      return parser.parseFrom(data);
    } catch (InvalidProtocolBufferException e) {
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
  }

  private interface Rpc {
    void call(VaultGrpcService member, ChannelRequest req, StreamObserver<ChannelResponse> out);
  }

  /** An answer from inside the channel: the inner response's bytes, or a refusal's code. */
  private record Inner(byte[] message, Status.Code code, String why) {}

  /**
   * Sends {@code data} (the bytes the marshaller accepted as the inner request) through the
   * fleet channel as a client would, and opens the answer: every fuzzed inner request gets an
   * authenticated answer, never a plain gRPC error.
   */
  private static Inner serve(String method, Rpc rpc, byte[] data) {
    ChannelInitiator init = ChannelInitiator.start(KEYS.serverPublicKey(),
        FleetChannel.prologue(method, USER, ""), data, RNG);
    Answer<ChannelResponse> a = new Answer<>();
    rpc.call(member(), ChannelRequest.newBuilder().setUserId(ByteString.copyFrom(USER))
        .setHandshake(ByteString.copyFrom(init.message())).build(), a);
    assertNull(a.status, () -> "a plain gRPC error for a readable request: " + a.status);
    assertTrue(a.completed && a.value != null, "the call neither answered nor failed");
    ChannelReply reply;
    try {
      reply = ChannelReply.parseFrom(init.finish(a.value.getHandshake().toByteArray()));
    } catch (Exception e) {
      throw new AssertionError("the member's channel answer did not open", e);
    }
    if (reply.hasError()) {
      String why = reply.getError().getMessage();
      assertFalse(why.isBlank(), "a refusal without a description");
      return new Inner(null, ChannelErrors.statusCode(reply.getError().getReason()), why);
    }
    return new Inner(reply.getMessage().toByteArray(), Status.Code.OK, null);
  }

  /** Asserts the answer is one of {@code allowed}. */
  private static Inner check(Inner i, Set<Status.Code> allowed) {
    if (!allowed.contains(i.code())) {
      fail("answered " + i.code() + " (" + i.why() + "); expected one of " + allowed);
    }
    return i;
  }

  @FuzzTest
  void registerStart(byte[] data) throws Exception {
    if (inner(RegisterStartRequest.parser(), data) == null) {
      return;
    }
    Inner i = check(serve("RegisterStart", VaultGrpcService::registerStart,
        RegisterStartRequest.parseFrom(data).toByteArray()), OK_OR_INVALID);
    if (i.code() == Status.Code.OK) {
      RegisterStartResponse r = RegisterStartResponse.parseFrom(i.message());
      assertEquals(RegistrationResponse.LENGTH, r.getRegistrationResponse().size());
      assertEquals(VaultService.SESSION_ID_LENGTH, r.getSessionId().size());
    }
  }

  @FuzzTest
  void registerFinish(byte[] data) throws Exception {
    if (inner(RegisterFinishRequest.parser(), data) != null) {
      check(serve("RegisterFinish", VaultGrpcService::registerFinish, data), REFUSED);
    }
  }

  @FuzzTest
  void recoverStart(byte[] data) throws Exception {
    if (inner(RecoverStartRequest.parser(), data) == null) {
      return;
    }
    RecoverStartRequest req = RecoverStartRequest.parseFrom(data);
    check(serve("RecoverStart", VaultGrpcService::recoverStart, data),
        Set.of(wellFormed(req) ? Status.Code.OK : Status.Code.INVALID_ARGUMENT));
  }

  /** True if the service goes on to commit an attempt; a KE1 must re-encode to itself. */
  private static boolean wellFormed(RecoverStartRequest req) {
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
    if (inner(RecoverFinishRequest.parser(), data) != null) {
      check(serve("RecoverFinish", VaultGrpcService::recoverFinish, data), REFUSED);
    }
  }

  @FuzzTest
  void delete(byte[] data) {
    if (inner(DeleteRequest.parser(), data) != null) {
      check(serve("Delete", VaultGrpcService::delete, data), REFUSED);
    }
  }

  @FuzzTest
  void changePassword(byte[] data) {
    if (inner(ChangePasswordRequest.parser(), data) != null) {
      check(serve("ChangePassword", VaultGrpcService::changePassword, data), REFUSED);
    }
  }

  /**
   * The outer message as anyone on the network can send it: the member refuses it with a plain
   * INVALID_ARGUMENT or FAILED_PRECONDITION naming the problem (a handshake not made for the fleet
   * key never decrypts), and never answers in the channel.
   */
  @FuzzTest
  void channel(byte[] data) {
    ChannelRequest req = decode(VaultGrpc.getRecoverStartMethod(), data);
    if (req == null) {
      return;
    }
    Answer<ChannelResponse> a = new Answer<>();
    member().recoverStart(req, a);
    assertNull(a.value, "answered a request nobody encrypted to the fleet key");
    assertTrue(Set.of(Status.Code.INVALID_ARGUMENT, Status.Code.FAILED_PRECONDITION)
        .contains(a.status.getCode()), a.status.toString());
    assertFalse(a.status.getDescription() == null || a.status.getDescription().isBlank(),
        a.status.getCode() + " without a description");
  }

  @FuzzTest
  void status(byte[] data) {
    StatusRequest req = decode(VaultGrpc.getStatusMethod(), data);
    if (req == null) {
      return;
    }
    Answer<StatusResponse> a = new Answer<>();
    member().status(req, a);
    if (a.status == null) {
      assertArrayEquals(KEYS.serverPublicKey().toCompressed(),
          a.value.getFleetPublicKey().toByteArray());
      assertEquals(0, a.value.getLoginEvaluations());
    } else {
      assertEquals(Status.Code.INVALID_ARGUMENT, a.status.getCode(), a.status.toString());
      assertTrue(req.getUserId().size() > UserId.MAX_LENGTH, "refused user id of "
          + req.getUserId().size() + " bytes");
    }
  }
}
