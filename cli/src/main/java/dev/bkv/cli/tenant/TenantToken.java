package dev.bkv.cli.tenant;

import dev.bkv.cli.CliException;
import dev.bkv.cli.ExitCodes;
import dev.bkv.cli.JsonOutput;
import dev.bkv.cli.bundle.BundleCli;
import dev.bkv.node.tenant.TenantAuthority;
import dev.bkv.node.tenant.TenantSigner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bkv tenant token}: a tenant token for one user id. */
@Command(name = "token", description = {
    "Mint a tenant token (ES256 JWT, typ " + TenantAuthority.TYPE + ") that lets its bearer act "
        + "for --user until iat + --ttl, and print it. Members refuse lifetimes above "
        + "node.tenant.max-ttl-s (default 600 s).",
    "Exit 2 for a bad --user, --ttl or --now; 3 if the key file is missing or not a private "
        + "P-256 JWK."})
public final class TenantToken implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--key", required = true, paramLabel = "FILE",
      description = "The private JWK (tenant-private.jwk from bkv tenant keygen).")
  Path key;

  @Option(names = "--user", required = true, paramLabel = "U",
      description = "The user id (the token's sub; its UTF-8 bytes are the bkv user id).")
  String user;

  @Option(names = "--ttl", required = true, paramLabel = "D",
      description = "Lifetime, whole seconds: 90s, 5m, PT10M.")
  String ttl;

  @Option(names = "--audience", required = true, paramLabel = "A",
      description = "The fleet's audience (node.tenant.audience; default there: node.fleet-id).")
  String audience;

  @Option(names = "--now", paramLabel = "T",
      description = "Issue time, RFC 3339 UTC (default: the clock).")
  String now;

  @Option(names = "--json", description = "Print the token with its kid, sub, aud, iat, exp.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Duration lifetime = BundleCli.duration("--ttl", ttl);
    if (lifetime.isZero() || lifetime.getNano() != 0) {
      throw new CliException(ExitCodes.USAGE, "--ttl '" + ttl + "' is not a whole number of "
          + "seconds > 0");
    }
    int userBytes = user.getBytes(StandardCharsets.UTF_8).length;
    if (userBytes < 1 || userBytes > 255) {
      throw new CliException(ExitCodes.USAGE, "--user is " + userBytes + " bytes of UTF-8; "
          + "expected 1..255");
    }
    if (audience.isEmpty()) {
      throw new CliException(ExitCodes.USAGE, "--audience is empty; expected the fleet's "
          + "audience");
    }
    Instant iat = now == null ? Instant.now() : BundleCli.instant("--now", now);
    TenantSigner signer = TenantSigner.load(key);
    String token = signer.mint(user, audience, iat, lifetime);
    if (json) {
      long issued = iat.getEpochSecond();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("token", token);
      m.put("kid", signer.kid());
      m.put("sub", user);
      m.put("aud", audience);
      m.put("iat", issued);
      m.put("exp", issued + lifetime.toSeconds());
      spec.commandLine().getOut().println(JsonOutput.write(m));
    } else {
      spec.commandLine().getOut().println(token);
    }
    return ExitCodes.OK;
  }
}
