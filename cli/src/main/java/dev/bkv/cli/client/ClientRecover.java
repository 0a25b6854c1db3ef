package dev.bkv.cli.client;

import dev.bkv.cli.ExitCodes;
import dev.bkv.cli.JsonOutput;
import dev.bkv.client.AuditEvent;
import dev.bkv.client.RecoveredKey;
import dev.bkv.client.TrustAnchor;
import dev.bkv.client.VaultClient;
import dev.bkv.client.VaultClientException;
import dev.bkv.recovery.SecretBytes;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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

  @Option(names = "--audit", description = "Also print the record's recent events (attempts, "
      + "successes) after the key, to see guessing against this user.")
  boolean audit;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    TrustAnchor trust = options.trustAnchor();
    byte[] password = options.password("password for " + options.user + ": ");
    RecoveredKey rec;
    try (VaultClient client = options.client(trust)) {
      rec = client.recoverWithAudit(options.userId(), password);
    } catch (VaultClientException e) {
      throw Outcomes.report(e, options.json, out);
    } finally {
      java.util.Arrays.fill(password, (byte) 0);
    }
    SecretBytes key = rec.backupKey();
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
    List<Map<String, Object>> events = new ArrayList<>();
    for (AuditEvent a : rec.audit()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("kind", a.kind());
      e.put("time", Instant.ofEpochMilli(a.timeMillis()).toString());
      e.put("attemptsUsed", a.attemptsUsed());
      e.put("attemptLimit", a.attemptLimit());
      events.add(e);
    }
    m.put("audit", events);
    if (options.json) {
      out.println(JsonOutput.write(m));
    } else {
      out.println(keyOut == null ? text : "backup key written to " + keyOut);
      if (audit) {
        for (Map<String, Object> e : events) {
          out.printf("  %s  %-15s attempts %s/%s%n", e.get("time"), e.get("kind"),
              e.get("attemptsUsed"), e.get("attemptLimit"));
        }
      }
    }
    return ExitCodes.OK;
  }
}
