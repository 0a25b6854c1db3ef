package dev.bkv.cli.client;

import dev.bkv.cli.CliException;
import dev.bkv.cli.ExitCodes;
import dev.bkv.cli.JsonOutput;
import dev.bkv.client.TrustAnchor;
import dev.bkv.client.VaultClient;
import dev.bkv.client.VaultClientException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bkv client change-password}: log in, re-register the same backup key. */
@Command(name = "change-password", description = {
    "Log in as --user with the current password, then re-register the same backup key under",
    "the new password (the record is replaced only if it did not change since the login)."})
public final class ClientChangePassword implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ClientOptions options;

  @Option(names = "--new-password-file", required = true, paramLabel = "FILE",
      description = "Read the new password from FILE (one trailing newline dropped).")
  Path newPasswordFile;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    String fresh = Files.readString(newPasswordFile, StandardCharsets.UTF_8);
    if (fresh.endsWith("\n")) {
      fresh = fresh.substring(0, fresh.length() - 1);
    }
    if (fresh.isEmpty()) {
      throw new CliException(ExitCodes.BAD_INPUT, "the new password in " + newPasswordFile
          + " is empty");
    }
    byte[] newPassword = fresh.getBytes(StandardCharsets.UTF_8);
    TrustAnchor trust = options.trustAnchor();
    byte[] password = options.password("current password for " + options.user + ": ");
    try (VaultClient client = options.client(trust)) {
      client.changePassword(options.userId(), password, newPassword);
    } catch (VaultClientException e) {
      throw Outcomes.report(e, options.json, out);
    } finally {
      java.util.Arrays.fill(password, (byte) 0);
      java.util.Arrays.fill(newPassword, (byte) 0);
    }
    out.println(options.json ? JsonOutput.write(Map.of("result", "password-changed", "user",
        options.user)) : "password changed for " + options.user);
    return ExitCodes.OK;
  }
}
