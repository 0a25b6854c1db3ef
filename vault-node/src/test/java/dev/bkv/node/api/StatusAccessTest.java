package dev.bkv.node.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.bkv.node.service.ServiceConfig;
import dev.bkv.node.service.VaultService;
import dev.bkv.node.tenant.TenantConfig;
import dev.bkv.opaque.SoftwareServerKeys;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code Status} with a user id reports per-user OPRF evaluations only on members configured to
 * (node.status.user-evaluations); elsewhere it is PERMISSION_DENIED, while the member's own
 * status stays public.
 */
class StatusAccessTest {
  private static final SecureRandom RNG = new SecureRandom();
  private static final SoftwareServerKeys KEYS = SoftwareServerKeys.generate(RNG);

  private static VaultGrpcService member(boolean userEvaluations) {
    ServiceConfig config = new ServiceConfig("127.0.0.1", 0, "access", 1, 10,
        ServiceConfig.DEFAULT_CONTEXT, null, null, true, 30_000, null, userEvaluations,
        TenantConfig.withDefaults(Path.of("unused-tenant-keys.json"), "access"));
    return new VaultGrpcService(new VaultService(null, KEYS, null, config, Clock.systemUTC(),
        RNG), "m1", Map::of, (method, token, user) -> { });
  }

  private static UnaryAnswer<StatusResponse> ask(VaultGrpcService member, String user) {
    StatusRequest.Builder req = StatusRequest.newBuilder();
    if (user != null) {
      req.setUserId(ByteString.copyFrom(user, StandardCharsets.UTF_8));
    }
    UnaryAnswer<StatusResponse> a = new UnaryAnswer<>();
    member.status(req.build(), a);
    return a;
  }

  @Test
  void perUserCountsAreRefusedByDefault() {
    VaultGrpcService member = member(false);
    UnaryAnswer<StatusResponse> a = ask(member, "alice");
    assertNull(a.value);
    assertEquals(Status.Code.PERMISSION_DENIED, a.status.getCode());
    assertTrue(a.status.getDescription().contains("node.status.user-evaluations"),
        a.status.getDescription());
    UnaryAnswer<StatusResponse> plain = ask(member, null);
    assertNull(plain.status);
    assertEquals("m1", plain.value.getMemberId());
  }

  @Test
  void perUserCountsAreAnsweredWhenTurnedOn() {
    UnaryAnswer<StatusResponse> a = ask(member(true), "alice");
    assertNull(a.status);
    assertNotNull(a.value);
    assertEquals(0, a.value.getLoginEvaluations());
  }
}
