package dev.bkv.cli.client;

import dev.bkv.cli.ExitCodes;
import dev.bkv.cli.JsonOutput;
import dev.bkv.client.TrustAnchor;
import dev.bkv.client.VaultClient;
import dev.bkv.client.VaultClientException;
import dev.bkv.recovery.SecretBytes;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bkv client register}: store a backup key under a password. */
@Command(name = "register", description = {
    "Register a backup key for --user under a password. The key is read from --backup-key-file",
    "or generated (32 random bytes) and printed (or written to --key-out)."})
public final class ClientRegister implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ClientOptions options;

  @Option(names = "--backup-key-file", paramLabel = "FILE",
      description = "32 raw bytes, 64 hex digits or base64; default: generate one.")
  Path keyFile;

  @Option(names = "--key-out", paramLabel = "FILE",
      description = "Write the backup key to FILE (mode 600) instead of printing it.")
  Path keyOut;

  @Option(names = "--format", defaultValue = "hex", description = "hex or base64.")
  String format;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    SecretBytes key;
    if (keyFile != null) {
      key = BackupKeys.read(keyFile);
    } else {
      byte[] k = new byte[32];
      new SecureRandom().nextBytes(k);
      key = SecretBytes.copyOf(k);
      java.util.Arrays.fill(k, (byte) 0);
    }
    String text = BackupKeys.format(key, format);
    TrustAnchor trust = options.trustAnchor();
    byte[] password = options.password("new password for " + options.user + ": ");
    try (VaultClient client = options.client(trust)) {
      client.register(options.userId(), password, key);
    } catch (VaultClientException e) {
      throw Outcomes.report(e, options.json, out);
    } finally {
      java.util.Arrays.fill(password, (byte) 0);
    }
    if (keyOut != null) {
      BackupKeys.write(keyOut, text);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("result", "registered");
    m.put("user", options.user);
    if (keyOut == null) {
      m.put("backupKey", text);
    } else {
      m.put("backupKeyFile", keyOut.toString());
    }
    if (options.json) {
      out.println(JsonOutput.write(m));
    } else {
      out.println("registered " + options.user);
      out.println(keyOut == null ? "backup key: " + text : "backup key written to " + keyOut);
    }
    key.destroy();
    return ExitCodes.OK;
  }
}
