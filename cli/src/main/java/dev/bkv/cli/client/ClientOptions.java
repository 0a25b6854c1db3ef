package dev.bkv.cli.client;

import dev.bkv.cli.CliException;
import dev.bkv.cli.ExitCodes;
import dev.bkv.cli.bundle.BundleCli;
import dev.bkv.client.BundleTrustAnchor;
import dev.bkv.client.Endpoint;
import dev.bkv.client.PinnedFleetKey;
import dev.bkv.recovery.BadInputException;
import dev.bkv.client.TenantTokens;
import dev.bkv.client.TrustAnchor;
import dev.bkv.client.VaultClient;
import dev.bkv.opaque.Argon2idKsf;
import dev.bkv.opaque.CipherSuite;
import dev.bkv.opaque.Ksf;
import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Options every {@code bkv client} command shares: where the fleet is and how to trust it. */
public final class ClientOptions {
  @Spec(Spec.Target.MIXEE) CommandSpec mixee;

  @Option(names = "--endpoints", required = true, split = ",", paramLabel = "HOST:PORT",
      description = "Members' API addresses, comma-separated (tried in order on failure).")
  List<String> endpoints = new ArrayList<>();

  @ArgGroup(exclusive = false)
  TrustOptions trust;

  @Option(names = "--previous-endpoints", split = ",", paramLabel = "HOST:PORT",
      description = "During a rollover: the previous fleet epoch's members. A user whose record"
          + " is still there is recovered from it and moved to this fleet (needs"
          + " --previous-fleet-key).")
  List<String> previousEndpoints = new ArrayList<>();

  @Option(names = "--previous-fleet-key", paramLabel = "HEX|@FILE",
      description = "Pinned mode: the previous fleet epoch's AKE public key (hex, or @FILE).")
  String previousFleetKey;

  @Option(names = "--previous-bundle", paramLabel = "FILE",
      description = "Bundle mode: the previous epoch's bundle text; the accepted --bundle vouches"
          + " for it by its prev hash.")
  Path previousBundle;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Transport transport;

  /** TLS (trusting a CA file) or explicit plaintext. */
  public static final class Transport {
    @Option(names = "--ca", paramLabel = "FILE", description = "PEM CA certificate to trust.")
    Path ca;

    @Option(names = "--plaintext", description = "No TLS (members run with node.plaintext).")
    boolean plaintext;
  }

  @Option(names = "--user", required = true, description = "The user id (UTF-8).")
  String user;

  @Option(names = "--password-file", paramLabel = "FILE",
      description = "Read the password from FILE (one trailing newline dropped).")
  Path passwordFile;

  @Option(names = "--password", paramLabel = "env:NAME|prompt",
      description = "Where the password comes from; literal passwords are refused."
          + " Default: prompt.")
  String passwordSource;

  @Option(names = "--tenant-token", required = true, paramLabel = "file:PATH|env:NAME",
      description = "Where the tenant token for --user comes from (minted by the app's backend,"
          + " or `bkv tenant token`); members refuse calls without one.")
  String tenantTokenSource;

  @Option(names = "--ksf", defaultValue = "argon2id",
      paramLabel = "argon2id|argon2id:M,T,P|identity",
      description = "Key stretching, the same for a user's whole life: argon2id = opaque-ke's "
          + "default (m=19456 KiB, t=2, p=1), argon2id:M,T,P = explicit memory (KiB), passes "
          + "and lanes; identity only for tests (default: ${DEFAULT-VALUE}).")
  String ksf;

  @Option(names = "--context", defaultValue = "bkv/v1",
      description = "OPAQUE context; must match the fleet's node.opaque-context.")
  String context;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  byte[] userId() {
    return user.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * How to trust the fleet: the pinned key, or the bundle once it passed every rule (its state
   * file is then updated). Commands settle this before asking for the password.
   */
  TrustAnchor trustAnchor() throws Exception {
    return (trust == null ? new TrustOptions() : trust)
        .anchor(json, mixee.commandLine().getOut());
  }

  /** {@code argon2id}, {@code argon2id:M,T,P} or {@code identity}. */
  static Ksf ksf(String spec) throws CliException {
    if (spec.equals("argon2id")) {
      return Argon2idKsf.opaqueKeDefault();
    }
    if (spec.equals("identity")) {
      return Ksf.IDENTITY;
    }
    String[] mtp = spec.startsWith("argon2id:") ? spec.substring(9).split(",", -1)
        : new String[0];
    try {
      if (mtp.length == 3) {
        return Argon2idKsf.of(Integer.parseInt(mtp[0].trim()), Integer.parseInt(mtp[1].trim()),
            Integer.parseInt(mtp[2].trim()));
      }
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.USAGE, "--ksf is '" + spec + "': " + e.getMessage(), e);
    }
    throw new CliException(ExitCodes.USAGE, "--ksf is '" + spec
        + "'; expected argon2id, argon2id:M,T,P (memory KiB, passes, lanes) or identity");
  }

  VaultClient client(TrustAnchor anchor) throws Exception {
    List<Endpoint> es = new ArrayList<>();
    try {
      endpoints.forEach(e -> es.add(Endpoint.parse(e)));
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
    }
    Ksf k = ksf(ksf);
    String token = tenantToken();
    VaultClient.Builder b = VaultClient.builder().endpoints(es).trustAnchor(anchor)
        .tenantTokens(TenantTokens.fixed(token))
        .suite(new CipherSuite(context.getBytes(StandardCharsets.UTF_8), k));
    if (previousFleetKey != null && previousBundle != null) {
      throw new CliException(ExitCodes.USAGE, "--previous-fleet-key (pinned) and"
          + " --previous-bundle (bundle mode) exclude each other; give one");
    }
    boolean previousTrust = previousFleetKey != null || previousBundle != null;
    if (previousEndpoints.isEmpty() == previousTrust) {
      throw new CliException(ExitCodes.USAGE, "--previous-endpoints goes with"
          + " --previous-fleet-key or --previous-bundle (the previous fleet epoch's members and"
          + " how to trust it)");
    }
    if (previousBundle != null && !(anchor instanceof BundleTrustAnchor)) {
      throw new CliException(ExitCodes.USAGE, "--previous-bundle needs bundle mode (--bundle);"
          + " in pinned mode give --previous-fleet-key");
    }
    if (!previousEndpoints.isEmpty()) {
      List<Endpoint> prev = new ArrayList<>();
      try {
        previousEndpoints.forEach(e -> prev.add(Endpoint.parse(e)));
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCodes.USAGE, "--previous-endpoints: " + e.getMessage(), e);
      }
      if (previousBundle != null) {
        b.previousFleet(prev, ((BundleTrustAnchor) anchor).previousEpoch(
            BundleCli.read("previous bundle", previousBundle)));
      } else {
        String hex = previousFleetKey.startsWith("@")
            ? Files.readString(Path.of(previousFleetKey.substring(1))) : previousFleetKey;
        try {
          b.previousFleet(prev, PinnedFleetKey.ofHex(hex.strip()));
        } catch (BadInputException e) {
          throw new CliException(ExitCodes.BAD_INPUT, "--previous-fleet-key: "
              + e.getMessage(), e);
        }
      }
    }
    b = transport.plaintext ? b.plaintext() : b.trustedCa(transport.ca);
    return b.build();
  }

  /** The tenant token from a file (first line) or an environment variable. */
  String tenantToken() throws CliException, IOException {
    String t;
    if (tenantTokenSource.startsWith("file:")) {
      Path f = Path.of(tenantTokenSource.substring(5));
      if (!Files.isRegularFile(f)) {
        throw new CliException(ExitCodes.BAD_INPUT, "tenant token file " + f
            + " (from --tenant-token) does not exist");
      }
      t = Files.readString(f, StandardCharsets.UTF_8).strip();
    } else if (tenantTokenSource.startsWith("env:")) {
      String name = tenantTokenSource.substring(4);
      t = System.getenv(name);
      if (t == null) {
        throw new CliException(ExitCodes.BAD_INPUT, "environment variable " + name
            + " (from --tenant-token) is not set");
      }
      t = t.strip();
    } else {
      throw new CliException(ExitCodes.USAGE, "--tenant-token takes file:PATH or env:NAME; "
          + "a literal token is refused (it would end up in shell history and ps)");
    }
    if (t.isEmpty()) {
      throw new CliException(ExitCodes.BAD_INPUT, "the tenant token (from --tenant-token) is "
          + "empty");
    }
    return t;
  }

  /** The password as UTF-8 bytes, from a file, an environment variable or the terminal. */
  byte[] password(String prompt) throws CliException, IOException {
    if (passwordFile != null && passwordSource != null) {
      throw new CliException(ExitCodes.USAGE, "give --password-file or --password, not both");
    }
    String pw;
    if (passwordFile != null) {
      pw = Files.readString(passwordFile, StandardCharsets.UTF_8);
      if (pw.endsWith("\n")) {
        pw = pw.substring(0, pw.length() - 1);
      }
    } else if (passwordSource != null && passwordSource.startsWith("env:")) {
      String name = passwordSource.substring(4);
      pw = System.getenv(name);
      if (pw == null) {
        throw new CliException(ExitCodes.BAD_INPUT, "environment variable " + name
            + " (from --password) is not set");
      }
    } else if (passwordSource == null || passwordSource.equals("prompt")) {
      Console c = System.console();
      if (c == null) {
        throw new CliException(ExitCodes.USAGE, "no terminal to prompt for the password; use "
            + "--password-file FILE or --password env:NAME");
      }
      pw = new String(c.readPassword("%s", prompt));
    } else {
      throw new CliException(ExitCodes.USAGE, "--password takes env:NAME or prompt; literal "
          + "passwords are refused (they end up in shell history and ps)");
    }
    if (pw.isEmpty()) {
      throw new CliException(ExitCodes.BAD_INPUT, "the password is empty");
    }
    return pw.getBytes(StandardCharsets.UTF_8);
  }
}
