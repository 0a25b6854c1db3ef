package dev.bkv.cli.cosigner;

import dev.bkv.bundle.Cosigner;
import dev.bkv.cli.CliException;
import dev.bkv.cli.ExitCodes;
import dev.bkv.cli.JsonOutput;
import dev.bkv.cli.Preflight;
import dev.bkv.cli.bundle.BundleCli;
import dev.bkv.pkcs11.KeySpec;
import dev.bkv.pkcs11.KeyUsage;
import dev.bkv.pkcs11.Pkcs11Config;
import dev.bkv.pkcs11.Pkcs11Token;
import dev.bkv.pkcs11.TokenKeys;
import dev.bkv.pkcs11.check.Capability;
import dev.bkv.pkcs11.check.CheckReport;
import dev.bkv.pkcs11.check.Role;
import dev.bkv.pkcs11.check.Status;
import dev.bkv.transparency.Ed25519NoteSigner;
import dev.bkv.transparency.NoteKeyFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bkv cosigner init}: an Ed25519 key (file or token) and an empty audit log. */
@Command(name = "init", description = {
    "Create a cosigner in DIR: an Ed25519 key (a file, or a key on a token with --token/--label,"
        + " generated there if absent; ECDSA P-256 on a token without EdDSA), cosigner.vkey, and"
        + " an empty log in DIR/log with a signed size-0 checkpoint. The log's origin is the key"
        + " name."})
public final class CosignerInit implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Cosigner directory.")
  Path dir;

  @Option(names = "--name", defaultValue = "bkv-cosigner", paramLabel = "NAME",
      description = "Key name and log origin (no spaces, no '+'; default ${DEFAULT-VALUE}).")
  String name;

  /** The token holding the key, instead of a key file. */
  static final class TokenKey {
    @Option(names = "--token", required = true, paramLabel = "CFG", description = "Token config.")
    Path config;

    @Option(names = "--label", required = true, paramLabel = "L", description = "Key label (Ed25519, or ECDSA P-256 where the token lacks EdDSA).")
    String label;
  }

  @ArgGroup(exclusive = false)
  TokenKey token;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (Files.exists(dir.resolve(CosignerConfig.FILE))) {
      throw new CliException(ExitCodes.BAD_INPUT, "a cosigner already exists in " + dir
          + "; refusing to replace its key");
    }
    Files.createDirectories(dir);
    CosignerConfig config;
    try {
      if (token == null) {
        Ed25519NoteSigner key = Ed25519NoteSigner.generate(name, new SecureRandom());
        NoteKeyFiles.write(dir.resolve(CosignerConfig.KEY_FILE), key);
        config = new CosignerConfig(dir, name, null, null);
      } else {
        try (Pkcs11Token t = Pkcs11Token.open(Pkcs11Config.load(token.config))) {
          CheckReport report = Preflight.require(t, Role.COSIGNER);
          TokenKeys keys = t.keys();
          if (!keys.exists(token.label)) {
            // Ed25519 where the token has it; else ECDSA P-256 notes (type 0x02, in the vkey)
            if (report.finding(Capability.EDDSA).status() == Status.OK) {
              keys.generateEd25519(KeySpec.of(token.label, KeyUsage.SIGN));
            } else {
              keys.generateEcP256(KeySpec.of(token.label, KeyUsage.SIGN));
            }
          }
        }
        config = new CosignerConfig(dir, name, token.config, token.label);
      }
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
    }
    String vkey;
    try (CosignerConfig.Key key = config.open();
        Cosigner c = Cosigner.open(config.log(), key.signer(), key.verifierKey())) {
      vkey = c.verifierKey().encode();
    }
    config.save();
    BundleCli.write(dir.resolve(CosignerConfig.VKEY_FILE),
        (vkey + "\n").getBytes(StandardCharsets.UTF_8));
    var out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("dir", dir.toString());
      m.put("verifierKey", vkey);
      m.put("key", token == null ? "file" : "token");
      m.put("log", config.log().toString());
      out.println(JsonOutput.write(m));
    } else {
      out.printf("cosigner %s initialised in %s (%s key)%n", name, dir,
          token == null ? "file" : "token");
      out.printf("verifier key: %s%n", vkey);
    }
    return ExitCodes.OK;
  }
}
