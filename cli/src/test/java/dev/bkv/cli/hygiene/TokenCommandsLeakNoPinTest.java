package dev.bkv.cli.hygiene;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.cli.CliRun;
import dev.bkv.pkcs11.ObjectClass;
import dev.bkv.pkcs11.ObjectInfo;
import dev.bkv.pkcs11.Pkcs11Config;
import dev.bkv.pkcs11.Pkcs11Token;
import dev.bkv.pkcs11.testing.SoftHsmTokens;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bkv token init/info/keygen/objects/destroy} with PIN files, with and without
 * {@code --verbose}, and their failure paths (wrong PIN, missing PIN file, duplicate label),
 * while the CLI's out/err, {@code System.out/err} and every JUL record are captured. Neither
 * PIN may appear, raw, hex or base64. Afterwards no key on the token is extractable.
 */
class TokenCommandsLeakNoPinTest {
  @TempDir
  Path dir;

  private Path config(String name, String label, String userPin, String soPin) throws Exception {
    Path user = Files.writeString(dir.resolve(name + ".user.pin"), userPin);
    Path so = Files.writeString(dir.resolve(name + ".so.pin"), soPin);
    return Files.writeString(dir.resolve(name), String.join("\n",
        "pkcs11.module = " + SoftHsmTokens.module(), "pkcs11.token-label = " + label,
        "pkcs11.user-pin = file:" + user, "pkcs11.so-pin = file:" + so, ""));
  }

  private static String pin(SecureRandom rng) {
    return "pin-" + HexFormat.of().formatHex(rng.generateSeed(6));
  }

  @Test
  void noPinInAnyOutput() throws Exception {
    SoftHsmTokens.ensureConf();
    SecureRandom rng = new SecureRandom();
    String userPin = pin(rng);
    String soPin = pin(rng);
    String label = "hyg-" + UUID.randomUUID().toString().substring(0, 8);
    Path good = config("good.properties", label, userPin, soPin);
    Path wrongUser = config("wrong.properties", label, userPin + "0", soPin + "0");
    Path missing = Files.writeString(dir.resolve("missing.properties"), String.join("\n",
        "pkcs11.module = " + SoftHsmTokens.module(), "pkcs11.token-label = " + label,
        "pkcs11.user-pin = file:" + dir.resolve("absent.pin"), ""));

    StringBuilder captured = new StringBuilder();
    ByteArrayOutputStream streams = new ByteArrayOutputStream();
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    Logger root = Logger.getLogger("");
    Level oldLevel = root.getLevel();
    SimpleFormatter fmt = new SimpleFormatter();
    Handler h = new Handler() {
      @Override
      public void publish(LogRecord r) {
        synchronized (captured) {
          captured.append(fmt.format(r));
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    h.setLevel(Level.ALL);
    root.setLevel(Level.ALL);
    root.addHandler(h);
    System.setOut(new PrintStream(streams, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(streams, true, StandardCharsets.UTF_8));
    List<CliRun> runs = new ArrayList<>();
    try {
      for (String v : new String[] {"", "--verbose"}) {
        String[] pre = v.isEmpty() ? new String[0] : new String[] {v};
        runs.add(run(pre, "token", "init", "--token", good.toString()));
        runs.add(run(pre, "token", "info", "--token", good.toString()));
        runs.add(run(pre, "token", "keygen", "--token", good.toString(), "--type", "aes-256",
            "--label", "hyg/aes" + v, "--usage", "encrypt"));
        runs.add(run(pre, "token", "keygen", "--token", good.toString(), "--type", "secret-32",
            "--label", "hyg/hmac" + v, "--usage", "hmac"));
        runs.add(run(pre, "token", "keygen", "--token", good.toString(), "--type", "ec-p256",
            "--label", "hyg/ec" + v, "--usage", "derive"));
        runs.add(run(pre, "token", "objects", "--token", good.toString(), "--json"));
        runs.add(run(pre, "token", "info", "--token", wrongUser.toString()));
        runs.add(run(pre, "token", "keygen", "--token", wrongUser.toString(), "--type", "ec-p256",
            "--label", "hyg/x", "--usage", "derive"));
        runs.add(run(pre, "token", "objects", "--token", missing.toString()));
        runs.add(run(pre, "token", "destroy", "--token", wrongUser.toString(), "--label", "hyg/ec"));
      }
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
      root.removeHandler(h);
      root.setLevel(oldLevel);
    }
    assertEquals(0, runs.get(0).exitCode(), runs.get(0).toString());
    assertEquals(0, runs.get(4).exitCode(), runs.get(4).toString());
    assertNotEquals(0, runs.get(6).exitCode(), "a wrong PIN must fail: " + runs.get(6));
    runs.forEach(r -> captured.append(r).append('\n'));
    captured.append(streams.toString(StandardCharsets.UTF_8));
    String text = captured.toString();
    for (String[] secret : new String[][] {{"user PIN", userPin}, {"SO PIN", soPin}}) {
      byte[] b = secret[1].getBytes(StandardCharsets.UTF_8);
      for (String form : List.of(secret[1], HexFormat.of().formatHex(b),
          HexFormat.of().formatHex(b).toUpperCase(Locale.ROOT),
          Base64.getEncoder().encodeToString(b), Base64.getEncoder().withoutPadding().encodeToString(b),
          Base64.getUrlEncoder().withoutPadding().encodeToString(b))) {
        assertTrue(!text.contains(form), secret[0] + " appears in CLI output as " + form);
      }
    }
    try (Pkcs11Token token = Pkcs11Token.open(Pkcs11Config.load(good))) {
      int keys = 0;
      for (ObjectInfo o : token.inventory()) {
        if (o.objectClass() == ObjectClass.PRIVATE_KEY || o.objectClass() == ObjectClass.SECRET_KEY) {
          assertEquals(Boolean.FALSE, o.extractable(), o.toString());
          assertEquals(Boolean.TRUE, o.sensitive(), o.toString());
          keys++;
        }
      }
      assertEquals(6, keys, "three keys per pass, two passes");
    }
  }

  private static CliRun run(String[] pre, String... args) {
    String[] all = new String[pre.length + args.length];
    System.arraycopy(pre, 0, all, 0, pre.length);
    System.arraycopy(args, 0, all, pre.length, args.length);
    return CliRun.of(all);
  }
}
