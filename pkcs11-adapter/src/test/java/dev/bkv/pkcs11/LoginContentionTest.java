package dev.bkv.pkcs11;

import static org.junit.jupiter.api.Assertions.*;

import dev.bkv.pkcs11.testing.SoftHsmTokens;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * SoftHSM2 fails {@code C_Login} with {@code CKR_GENERAL_ERROR} when several processes log in
 * to one token at once. Opening must get through by retrying.
 */
class LoginContentionTest {

  @Test
  void opensWhileOtherProcessesKeepLoggingIn() throws Exception {
    SoftHsmTokens.TestToken t = SoftHsmTokens.createToken("busy");
    // Load the module first: a SoftHSM2 C_Initialize that runs while another process holds the
    // token's file lock can miss that token for the life of the process.
    Pkcs11Token.open(t.config()).close();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<Process> others = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
            LoginLoop.class.getName(), t.config().module().toString(), t.label(), t.userPin(), "6")
            .redirectErrorStream(true);
        pb.environment().put("SOFTHSM2_CONF", SoftHsmTokens.ensureConf().toString());
        others.add(pb.start());
      }
      Thread.sleep(1500); // let them start looping (JVM start-up); not a correctness wait
      for (int i = 0; i < 40; i++) {
        // each open is a real C_Login: the previous close ended this process's login
        try (Pkcs11Token token = Pkcs11Token.open(t.config())) {
          assertEquals(16, token.random(16).length, "open " + i);
        }
      }
    } finally {
      for (Process p : others) {
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroy();
        }
        String out = new String(p.getInputStream().readAllBytes()).strip();
        // also shows the wrapper stays quiet in a fresh JVM: nothing but the loop's own line
        assertTrue(out.matches("logins ok=\\d+ failed=\\d+|no token [-\\w]+"), "child output: " + out);
      }
    }
  }
}
