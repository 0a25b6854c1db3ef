package dev.bkv.cli.client;

import dev.bkv.cli.ExitCodes;
import dev.bkv.cli.Json;
import dev.bkv.client.VaultClient;
import dev.bkv.client.VaultClientException;
import dev.bkv.recovery.SecretBytes;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bkv client recover}: get the backup key back with the password. */
@Command(name = "recover", description = {
    "Recover --user's backup key with the password. A wrong password costs one attempt",
    "(exit 6, attempts left in the message); past the limit the record is gone (exit 5)."})
public final class ClientRecover implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ClientOptions options;

  @Option(names = "--key-out", paramLabel = "FILE",
      description = "Write the backup key to FILE (mode 600) instead of printing it.")
  Path keyOut;

  @Option(names = "--format", defaultValue = "hex", description = "hex or base64.")
  String format;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    byte[] password = options.password("password for " + options.user + ": ");
    SecretBytes key;
    try (VaultClient client = options.client()) {
      key = client.recover(options.userId(), password);
    } catch (VaultClientException e) {
      throw Outcomes.fail(e, options.json, out);
    } finally {
      java.util.Arrays.fill(password, (byte) 0);
    }
    String text = BackupKeys.format(key, format);
    key.destroy();
    if (keyOut != null) {
      BackupKeys.write(keyOut, text);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("result", "recovered");
    m.put("user", options.user);
    m.put(keyOut == null ? "backupKey" : "backupKeyFile", keyOut == null ? text
        : keyOut.toString());
    if (options.json) {
      out.println(Json.write(m));
    } else {
      out.println(keyOut == null ? text : "backup key written to " + keyOut);
    }
    return ExitCodes.OK;
  }
}
