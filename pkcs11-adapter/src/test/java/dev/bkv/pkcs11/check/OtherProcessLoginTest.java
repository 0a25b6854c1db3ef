package dev.bkv.pkcs11.check;

import static org.junit.jupiter.api.Assertions.*;

import dev.bkv.pkcs11.PinSource;
import dev.bkv.pkcs11.Pkcs11Config;
import dev.bkv.pkcs11.Pkcs11Token;
import dev.bkv.pkcs11.testing.SoftHsmTokens;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The second-process login probe on a real SoftHSM2 token, and what its child's answers mean. */
class OtherProcessLoginTest {

  @Test
  void aSecondProcessLogsInWhileThisOneHoldsItsSessions() throws Exception {
    Pkcs11Config config = SoftHsmTokens.create("multi");
    try (Pkcs11Token t = Pkcs11Token.open(config)) {
      Finding f = OtherProcessLogin.probe(config);
      assertEquals(Status.OK, f.status(), f.detail());
      assertEquals(Capability.MULTI_PROCESS_LOGIN, f.capability());
      assertEquals(16, t.random(16).length, "this process's sessions still work");
    }
  }

  @Test
  void aSecondProcessThatCannotLogInIsReportedWithItsCkr() throws Exception {
    Pkcs11Config config = SoftHsmTokens.create("multi-bad");
    Pkcs11Config wrongPin = new Pkcs11Config(config.module(), config.token(),
        PinSource.of("not-the-pin".toCharArray()), Optional.empty(), config.initArgs());
    try (Pkcs11Token t = Pkcs11Token.open(config)) {
      Finding f = OtherProcessLogin.probe(wrongPin);
      assertEquals(Status.MISSING, f.status(), f.detail());
      assertTrue(f.detail().startsWith("a second process could not log in while this one held its "
          + "logged-in sessions: "), f.detail());
      assertTrue(f.detail().contains("CKR_PIN_INCORRECT"), f.detail());
      assertFalse(f.detail().contains("not-the-pin"), "the PIN is never shown");
    }
  }

  @Test
  void anUnreadablePinSkipsTheProbe() {
    Pkcs11Config config = Pkcs11Config.of(java.nio.file.Path.of("/nonexistent/lib.so"),
        dev.bkv.pkcs11.TokenSelector.label("x"), PinSource.file(java.nio.file.Path.of("/nonexistent/pin")));
    Finding f = OtherProcessLogin.probe(config);
    assertEquals(Status.SKIPPED, f.status());
    assertTrue(f.detail().startsWith("not tried: "), f.detail());
  }

  @Test
  void theChildsAnswersMeanWhatTheySay() {
    assertEquals(Status.OK, OtherProcessLogin.judge(true, 0, "OK\n").status());
    Finding timeout = OtherProcessLogin.judge(false, -1, "");
    assertEquals(Status.MISSING, timeout.status());
    assertTrue(timeout.detail().contains("did not open and log in within 90 s"), timeout.detail());
    Finding failed = OtherProcessLogin.judge(true, 1, "FAILED C_Login: CKR_USER_TOO_MANY_TYPES\n");
    assertEquals(Status.MISSING, failed.status());
    assertTrue(failed.detail().contains(": C_Login: CKR_USER_TOO_MANY_TYPES (run other bkv commands "
        + "on this token only while its member is stopped)"), failed.detail());
    Finding silent = OtherProcessLogin.judge(true, 134, "");
    assertEquals("the second process ended with exit 134 and no result line", silent.detail());
    assertEquals(Status.MISSING, OtherProcessLogin.judge(true, 1, "OK").status(),
        "OK counts only with exit 0");
  }

  @Test
  void noRoleNeedsItSoAMissingLoginRefusesNothing() {
    CheckReport r = new CheckReport("token 'x' on /lib/x.so", List.of(
        Finding.ok(Capability.HMAC, "CKM_SHA256_HMAC")))
        .with(OtherProcessLogin.judge(true, 1, "FAILED busy"));
    for (Role role : Role.values()) {
      assertTrue(r.canHost(role), role.id());
    }
    assertEquals(Status.MISSING, r.finding(Capability.MULTI_PROCESS_LOGIN).status());
    assertEquals(List.of(Capability.HMAC, Capability.MULTI_PROCESS_LOGIN),
        r.findings().stream().map(Finding::capability).toList(), "in Capability order");
    CheckReport again = r.with(OtherProcessLogin.judge(true, 0, "OK"));
    assertEquals(2, again.findings().size(), "replaced, not added");
    assertEquals(Status.OK, again.finding(Capability.MULTI_PROCESS_LOGIN).status());
  }
}
