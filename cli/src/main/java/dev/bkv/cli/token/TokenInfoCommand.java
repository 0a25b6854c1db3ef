package dev.bkv.cli.token;

import dev.bkv.cli.JsonOutput;
import dev.bkv.cli.JsonOption;
import dev.bkv.cli.TokenOptions;
import dev.bkv.pkcs11.Pkcs11Token;
import dev.bkv.pkcs11.TokenInfo;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bkv token info}: what the token says about itself. */
@Command(name = "info", description = "Show the token's manufacturer, model, serial, versions and flags.")
public final class TokenInfoCommand implements Callable<Integer> {
  @Mixin TokenOptions token;
  @Spec CommandSpec spec;

  @Mixin JsonOption json;

  @Override
  public Integer call() throws Exception {
    TokenInfo info;
    try (Pkcs11Token t = token.open()) {
      info = t.info();
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json.enabled()) {
      out.println(JsonOutput.write(info));
      return 0;
    }
    out.printf("label:        %s%n", info.label());
    out.printf("manufacturer: %s%n", info.manufacturer());
    out.printf("model:        %s%n", info.model());
    out.printf("serial:       %s%n", info.serial());
    out.printf("hardware:     %s%n", info.hardwareVersion());
    out.printf("firmware:     %s%n", info.firmwareVersion());
    out.printf("flags:        %s%n", info.flags().stream().map(Enum::name).sorted().toList());
    return 0;
  }
}
