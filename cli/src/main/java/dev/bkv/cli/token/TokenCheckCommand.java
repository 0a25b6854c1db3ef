package dev.bkv.cli.token;

import dev.bkv.cli.CliException;
import dev.bkv.cli.ExitCodes;
import dev.bkv.cli.JsonOutput;
import dev.bkv.cli.TokenOptions;
import dev.bkv.pkcs11.Pkcs11Token;
import dev.bkv.pkcs11.check.CheckReport;
import dev.bkv.pkcs11.check.OtherProcessLogin;
import dev.bkv.pkcs11.check.Role;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bkv token check}: the preflight the ceremony and {@code bkv node run} also run. Prints
 * what works and which fallback bkv uses; exits 1 naming the missing piece when the role cannot
 * be hosted.
 */
@Command(name = "check",
    description = "Try on session objects everything a role needs from the token; print what "
        + "works and which fallback bkv uses; exit 1 naming what is missing.")
public final class TokenCheckCommand implements Callable<Integer> {
  @Mixin TokenOptions token;
  @Spec CommandSpec spec;

  @Option(names = "--role", required = true, paramLabel = "ROLE",
      description = "member, genesis, operator or cosigner.")
  String role;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Role r;
    try {
      r = Role.parse(role);
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--role: " + e.getMessage());
    }
    CheckReport report;
    try (Pkcs11Token t = token.open()) {
      // the second-process login is tried here only: it starts a JVM, and no role needs it
      report = t.check().with(OtherProcessLogin.probe(t.config()));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(JsonOutput.write(report.toMap()));
    } else {
      out.print(report.table());
      out.printf("%s: %s%n", r.id(), report.canHost(r) ? "can be hosted" : "CANNOT be hosted");
    }
    out.flush();
    if (!report.canHost(r)) {
      throw new CliException(ExitCodes.CHECK_FAILED, report.refusal(r).orElseThrow());
    }
    return 0;
  }
}
