package dev.bkv.node.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.bkv.channel.ChannelInitiator;
import dev.bkv.ec.Point;
import dev.bkv.node.service.ServiceConfig;
import dev.bkv.node.service.ServiceException;
import dev.bkv.node.api.ChannelError.Reason;
import dev.bkv.node.service.VaultService;
import dev.bkv.node.tenant.TenantAuthority;
import dev.bkv.node.tenant.TenantConfig;
import dev.bkv.node.tenant.TenantGate;
import dev.bkv.node.tenant.TenantSigner;
import dev.bkv.node.tenant.UserRateLimiter;
import dev.bkv.opaque.ServerKeys;
import dev.bkv.opaque.SoftwareServerKeys;
import dev.bkv.recovery.RecoveryException;
import dev.bkv.recovery.SecretBytes;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The order of checks on a channel request (vault.proto): the user id, the tenant token and the
 * rate limit ({@link CallGate}) come before the one HSM operation that reads the handshake, so a
 * refused request costs the member no key operation at all.
 */
class ChannelGateTest {
  private static final SecureRandom RNG = new SecureRandom();
  private static final byte[] USER = "alice".getBytes(StandardCharsets.UTF_8);
  private final SoftwareServerKeys inner = SoftwareServerKeys.generate(RNG);
  private final AtomicInteger keyOperations = new AtomicInteger();

  /** Server keys that count every private-key operation. */
  private final ServerKeys counted = new ServerKeys() {
    @Override
    public Point serverPublicKey() {
      return inner.serverPublicKey();
    }

    @Override
    public Point evaluate(byte[] id, Point b) throws RecoveryException {
      keyOperations.incrementAndGet();
      return inner.evaluate(id, b);
    }

    @Override
    public Point dh(Point p) {
      keyOperations.incrementAndGet();
      return inner.dh(p);
    }

    @Override
    public byte[] staticX(Point p) {
      keyOperations.incrementAndGet();
      return inner.dh(p).x();
    }

    @Override
    public SecretBytes fakeRecordSeed(byte[] id) {
      keyOperations.incrementAndGet();
      return inner.fakeRecordSeed(id);
    }
  };

  private VaultGrpcService member(CallGate gate) {
    ServiceConfig config = new ServiceConfig("127.0.0.1", 0, "gate", 1, 10,
        ServiceConfig.DEFAULT_CONTEXT, null, null, true, 30_000, null, false,
        TenantConfig.withDefaults(Path.of("unused-tenant-keys.json"), "gate"));
    return new VaultGrpcService(new VaultService(null, counted, null, config,
        Clock.systemUTC(), RNG), "m1", Map::of, gate);
  }

  private ChannelRequest request(String token) {
    byte[] payload = RegisterStartRequest.newBuilder()
        .setRegistrationRequest(ByteString.copyFrom(inner.serverPublicKey().toCompressed()))
        .build().toByteArray();
    ChannelInitiator init = ChannelInitiator.start(inner.serverPublicKey(),
        FleetChannel.prologue("RegisterStart", USER, token), payload, RNG);
    return ChannelRequest.newBuilder().setTenantToken(token).setUserId(ByteString.copyFrom(USER))
        .setHandshake(ByteString.copyFrom(init.message())).build();
  }

  private UnaryAnswer<ChannelResponse> send(CallGate gate, ChannelRequest req) {
    UnaryAnswer<ChannelResponse> a = new UnaryAnswer<>();
    member(gate).registerStart(req, a);
    return a;
  }

  @Test
  void anUnauthorisedRequestCostsNoKeyOperation() {
    UnaryAnswer<ChannelResponse> a = send((m, t, u) -> {
      throw new ServiceException(Reason.UNAUTHORIZED, "tenant token has expired");
    }, request("expired"));
    assertNull(a.value);
    assertEquals(Status.Code.UNAUTHENTICATED, a.status.getCode());
    assertEquals("tenant token has expired", a.status.getDescription());
    assertEquals(0, keyOperations.get());
  }

  @Test
  void aRateLimitedRequestCostsNoKeyOperation() {
    UnaryAnswer<ChannelResponse> a = send((m, t, u) -> {
      throw new ServiceException(Reason.RATE_LIMITED, "alice is over 60 calls a minute");
    }, request("t"));
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, a.status.getCode());
    assertEquals(0, keyOperations.get());
  }

  @Test
  void theGateSeesTheMethodTheTokenAndTheUser() {
    String[] seen = new String[3];
    UnaryAnswer<ChannelResponse> a = send((m, t, u) -> {
      seen[0] = m;
      seen[1] = t;
      seen[2] = new String(u.bytes(), StandardCharsets.UTF_8);
    }, request("token-1"));
    assertNull(a.status);
    assertEquals("RegisterStart", seen[0]);
    assertEquals("token-1", seen[1]);
    assertEquals("alice", seen[2]);
    // The handshake's ECDH; the OPRF evaluation is the per-user key shares' (not ServerKeys').
    assertEquals(1, keyOperations.get(), "the handshake's ECDH");
  }

  /**
   * The member's gate with real tenant tokens: no token, another user's, an expired one and one
   * from an unpinned key are UNAUTHENTICATED; a valid one passes until the user's burst is spent,
   * then RESOURCE_EXHAUSTED. No refusal costs a key operation.
   */
  @Test
  void theTenantGateChecksTheTokenThenTheRateLimit() throws Exception {
    TenantSigner backend = TenantSigner.generate("backend", RNG);
    TenantSigner stranger = TenantSigner.generate("backend", RNG);
    Instant now = Instant.now();
    Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    TenantGate gate = new TenantGate(new TenantAuthority(backend.publicKeys(), "gate",
        Duration.ofMinutes(10), clock), new UserRateLimiter(60, 2, clock));
    String[] refused = {"", backend.mint("bob", "gate", now, Duration.ofMinutes(5)),
        backend.mint("alice", "gate", now.minus(Duration.ofMinutes(10)), Duration.ofMinutes(5)),
        backend.mint("alice", "another-fleet", now, Duration.ofMinutes(5)),
        stranger.mint("alice", "gate", now, Duration.ofMinutes(5))};
    for (String token : refused) {
      UnaryAnswer<ChannelResponse> a = send(gate, request(token));
      assertEquals(Status.Code.UNAUTHENTICATED, a.status.getCode(), a.status.toString());
      assertTrue(a.status.getDescription().startsWith("RegisterStart for "),
          a.status.getDescription());
    }
    assertEquals(0, keyOperations.get(), "refused tokens cost no key operation");
    String good = backend.mint("alice", "gate", now, Duration.ofMinutes(5));
    assertNull(send(gate, request(good)).status);
    assertNull(send(gate, request(good)).status);
    int spent = keyOperations.get();
    UnaryAnswer<ChannelResponse> limited = send(gate, request(good));
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, limited.status.getCode());
    assertTrue(limited.status.getDescription().contains("rate limit"),
        limited.status.getDescription());
    assertEquals(spent, keyOperations.get(), "a rate-limited call costs no key operation");
  }

  @Test
  void anOverlongTokenIsRefusedBeforeTheGate() {
    AtomicInteger gateCalls = new AtomicInteger();
    UnaryAnswer<ChannelResponse> a = send((m, t, u) -> gateCalls.incrementAndGet(),
        request("x".repeat(FleetChannel.MAX_TOKEN_LENGTH + 1)));
    assertEquals(Status.Code.UNAUTHENTICATED, a.status.getCode());
    assertTrue(a.status.getDescription().contains("at most 4096"), a.status.getDescription());
    assertEquals(0, gateCalls.get());
    assertEquals(0, keyOperations.get());
  }

  @Test
  void aBadUserIdIsRefusedBeforeTheGate() {
    AtomicInteger gateCalls = new AtomicInteger();
    UnaryAnswer<ChannelResponse> a = send((m, t, u) -> gateCalls.incrementAndGet(),
        request("t").toBuilder().setUserId(ByteString.EMPTY).build());
    assertEquals(Status.Code.INVALID_ARGUMENT, a.status.getCode());
    assertEquals(0, gateCalls.get());
    assertEquals(0, keyOperations.get());
  }

  @Test
  void aHandshakeForAnotherUserDoesNotDecrypt() {
    // Made for alice, sent as bob's: the prologue differs, so the payload does not open.
    UnaryAnswer<ChannelResponse> a = send((m, t, u) -> { }, request("t").toBuilder()
        .setUserId(ByteString.copyFromUtf8("bob")).build());
    assertEquals(Status.Code.FAILED_PRECONDITION, a.status.getCode());
    assertEquals(1, keyOperations.get(), "only the handshake's ECDH; no evaluation");
  }
}
