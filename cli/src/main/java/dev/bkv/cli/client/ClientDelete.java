package dev.bkv.cli.client;

import dev.bkv.cli.ExitCodes;
import dev.bkv.cli.JsonOutput;
import dev.bkv.client.TrustAnchor;
import dev.bkv.client.VaultClient;
import dev.bkv.client.VaultClientException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code bkv client delete}: erase the record after a login with the password. */
@Command(name = "delete", description = "Log in as --user with the password, then erase the "
    + "record and its audit trail on every member.")
public final class ClientDelete implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ClientOptions options;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    TrustAnchor trust = options.trustAnchor();
    byte[] password = options.password("password for " + options.user + ": ");
    try (VaultClient client = options.client(trust)) {
      client.delete(options.userId(), password);
    } catch (VaultClientException e) {
      throw Outcomes.report(e, options.json, out);
    } finally {
      java.util.Arrays.fill(password, (byte) 0);
    }
    out.println(options.json ? JsonOutput.write(Map.of("result", "deleted", "user", options.user))
        : "deleted " + options.user);
    return ExitCodes.OK;
  }
}
