package dev.bkv.pkcs11.check;

import dev.bkv.pkcs11.HsmException;
import dev.bkv.pkcs11.PinSource;
import dev.bkv.pkcs11.Pkcs11Config;
import dev.bkv.pkcs11.Pkcs11Token;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The "login from several processes" probe: while this process holds its logged-in sessions, a
 * second JVM opens the same token, logs in as user ({@code C_Login}) and draws random numbers,
 * as a bkv command does beside a running member. Some tokens allow one logged-in process at a
 * time (a device lock, a login bound to the process that made it).
 *
 * <p>The child gets the config's {@code pkcs11.*} keys and the user PIN on its standard input,
 * never on its command line or in its environment; it prints one line, {@code OK} or
 * {@code FAILED <message>}. Its standard error is discarded, so a library's warnings do not reach
 * the terminal.
 */
public final class OtherProcessLogin {
  static final long TIMEOUT_SECONDS = 90;

  private OtherProcessLogin() {}

  /**
   * Runs the probe against {@code config}'s token; call it while a {@link Pkcs11Token} of the
   * same config is open (logged in) in this process.
   */
  public static Finding probe(Pkcs11Config config) {
    char[] pin;
    try {
      pin = config.userPin().read(Pkcs11Config.USER_PIN);
    } catch (HsmException e) {
      return Finding.skipped(Capability.MULTI_PROCESS_LOGIN, "not tried: " + e.getMessage());
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        OtherProcessLogin.class.getName())
        .redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p = null;
    try {
      p = pb.start();
      try (Writer w = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8)) {
        w.write(pin);
        w.write('\n');
        w.write(childProperties(config));
      }
      boolean done = p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (!done) {
        p.destroyForcibly();
        return judge(false, -1, "");
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return judge(true, p.exitValue(), out);
    } catch (IOException e) {
      return Finding.skipped(Capability.MULTI_PROCESS_LOGIN,
          "not tried: cannot start a second JVM (" + e.getMessage() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      if (p != null) {
        p.destroyForcibly();
      }
      return Finding.skipped(Capability.MULTI_PROCESS_LOGIN, "not tried: interrupted");
    } finally {
      Arrays.fill(pin, '\0');
    }
  }

  /** What the child's exit and line mean (pure, for tests). */
  static Finding judge(boolean finished, int exit, String output) {
    if (!finished) {
      return Finding.missing(Capability.MULTI_PROCESS_LOGIN, "a second process did not open and "
          + "log in within " + TIMEOUT_SECONDS + " s while this one held its logged-in sessions");
    }
    String line = output.strip().lines().reduce((a, b) -> b).orElse("");
    if (exit == 0 && line.equals("OK")) {
      return Finding.ok(Capability.MULTI_PROCESS_LOGIN, "a second process logged in (C_Login) and "
          + "used the token while this one held its logged-in sessions");
    }
    if (line.startsWith("FAILED ")) {
      return Finding.missing(Capability.MULTI_PROCESS_LOGIN, "a second process could not log in "
          + "while this one held its logged-in sessions: " + line.substring(7)
          + " (run other bkv commands on this token only while its member is stopped)");
    }
    return Finding.missing(Capability.MULTI_PROCESS_LOGIN, "the second process ended with exit "
        + exit + " and no result line");
  }

  /** The config's keys without its PINs: the child takes the user PIN from its input. */
  private static String childProperties(Pkcs11Config config) throws IOException {
    Properties p = config.toProperties();
    p.remove(Pkcs11Config.USER_PIN);
    p.remove(Pkcs11Config.SO_PIN);
    StringWriter w = new StringWriter();
    p.store(w, null);
    return w.toString();
  }

  /** The child: PIN line, then properties, on standard input; prints OK or FAILED. */
  public static void main(String[] args) {
    int exit;
    try {
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      char[] pin = readLine(in);
      StringBuilder rest = new StringBuilder();
      for (String l; (l = in.readLine()) != null; ) {
        rest.append(l).append('\n');
      }
      Properties p = new Properties();
      p.load(new StringReader(rest.toString()));
      p.setProperty(Pkcs11Config.USER_PIN, "env:BKV_UNUSED"); // replaced by the PIN read above
      Pkcs11Config c = Pkcs11Config.fromProperties(p, "the checking process");
      Pkcs11Config config = new Pkcs11Config(c.module(), c.token(), PinSource.of(pin),
          Optional.empty(), c.initArgs());
      Arrays.fill(pin, '\0');
      try (Pkcs11Token token = Pkcs11Token.open(config)) {
        token.random(16);
      }
      System.out.println("OK");
      exit = 0;
    } catch (HsmException | IOException | RuntimeException e) {
      String m = String.valueOf(e.getMessage()).replaceAll("\\s+", " ");
      System.out.println("FAILED " + m);
      exit = 1;
    }
    System.out.flush();
    System.exit(exit);
  }

  private static char[] readLine(BufferedReader in) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int c; (c = in.read()) != -1 && c != '\n'; ) {
      sb.append((char) c);
    }
    char[] out = new char[sb.length()];
    sb.getChars(0, sb.length(), out, 0);
    sb.setLength(0);
    return out;
  }
}
