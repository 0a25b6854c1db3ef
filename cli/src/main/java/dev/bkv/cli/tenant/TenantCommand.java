package dev.bkv.cli.tenant;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code bkv tenant}: the app backend's signing key and tenant tokens (docs/tenant-tokens.md). */
@Command(
    name = "tenant",
    description = {
      "The app backend's side of tenant authorization: a P-256 signing key whose public JWK Set",
      "members pin (node.tenant.keys), and short-lived ES256 tokens for a user id (for demos,",
      "dev fleets and tests; a production backend mints them itself, see docs/tenant-tokens.md)."
    },
    subcommands = {TenantKeygen.class, TenantToken.class})
public final class TenantCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "bkv tenant: name a subcommand");
  }
}
