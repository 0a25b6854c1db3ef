package dev.bkv.cli.token;

import dev.bkv.cli.JsonOutput;
import dev.bkv.cli.TokenOptions;
import dev.bkv.pkcs11.Pkcs11Token;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bkv token objects}: the inventory of every object with its security attributes. */
@Command(
    name = "objects",
    description = {
      "List every object on the token with class, key type, label, id, public value,",
      "security attributes (CKA_LOCAL, CKA_SENSITIVE, CKA_EXTRACTABLE, ...) and usages.",
      "In the table, '!' marks an attribute that is false."
    })
public final class TokenObjects implements Callable<Integer> {
  @Mixin TokenOptions token;
  @Spec CommandSpec spec;

  @Option(names = "--json", description = "Print JSON (one array of objects).")
  boolean json;

  @Override
  public Integer call() throws Exception {
    List<ObjectView> views;
    try (Pkcs11Token t = token.open()) {
      views = t.inventory().stream().map(ObjectView::of).toList();
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(JsonOutput.write(views));
      return 0;
    }
    out.printf("%d object(s)%n", views.size());
    for (ObjectView v : views) {
      out.printf("%-11s %-14s %s%n", v.objectClass(), v.keyType() == null ? "-" : v.keyType(),
          v.label().isEmpty() ? "(no label)" : "'" + v.label() + "'");
      out.printf("    id %s  usages %s%n", v.id().isEmpty() ? "-" : v.id(), v.usages());
      out.printf("    %s%n", v.flagLine());
      if (v.publicValue() != null) {
        out.printf("    public %s%n", v.publicValue());
      }
    }
    return 0;
  }
}
