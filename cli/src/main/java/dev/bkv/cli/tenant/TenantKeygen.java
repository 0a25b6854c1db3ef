package dev.bkv.cli.tenant;

import dev.bkv.cli.CliException;
import dev.bkv.cli.ExitCodes;
import dev.bkv.cli.JsonOutput;
import dev.bkv.node.tenant.TenantKeyException;
import dev.bkv.node.tenant.TenantSigner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bkv tenant keygen}: a new app-backend signing key. */
@Command(name = "keygen", description = {
    "Generate an ES256 (P-256) tenant signing key. Writes DIR/" + TenantKeygen.PRIVATE
        + " (the private JWK, mode 0600: keep it with the app backend) and DIR/"
        + TenantKeygen.PUBLIC + " (the public JWK Set: pin it in every member as "
        + "node.tenant.keys). Refuses to overwrite either.",
    "Exit 3 if a file exists or cannot be written."})
public final class TenantKeygen implements Callable<Integer> {
  static final String PRIVATE = "tenant-private.jwk";
  static final String PUBLIC = "tenant-keys.json";

  @Spec CommandSpec spec;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
  Path out;

  @Option(names = "--kid", paramLabel = "K",
      description = "Key id tokens name in their header (default: the key's RFC 7638 thumbprint).")
  String kid;

  @Option(names = "--json", description = "Print the kid and file names as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    TenantSigner signer;
    try {
      signer = TenantSigner.generate(kid, new SecureRandom());
    } catch (TenantKeyException e) {
      throw new CliException(ExitCodes.USAGE, "--kid: " + e.getMessage(), e);
    }
    Path privateFile = out.resolve(PRIVATE);
    Path publicFile = out.resolve(PUBLIC);
    for (Path p : new Path[] {privateFile, publicFile}) {
      if (Files.exists(p)) {
        throw new CliException(ExitCodes.BAD_INPUT, p + " exists; refusing to overwrite a "
            + "tenant key (choose another --out)");
      }
    }
    try {
      Files.createDirectories(out);
      Files.createFile(privateFile, PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rw-------")));
      Files.writeString(privateFile, signer.privateJwkJson() + "\n", StandardCharsets.UTF_8);
      Files.writeString(publicFile, signer.publicJwkSetJson() + "\n", StandardCharsets.UTF_8);
    } catch (FileAlreadyExistsException e) {
      throw new CliException(ExitCodes.BAD_INPUT, e.getFile() + " exists; refusing to "
          + "overwrite a tenant key (choose another --out)", e);
    } catch (IOException e) {
      throw new CliException(ExitCodes.BAD_INPUT, "cannot write tenant key files in " + out
          + ": " + e.getClass().getSimpleName() + " " + e.getMessage(), e);
    }
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("kid", signer.kid());
      m.put("private_key", privateFile.toString());
      m.put("public_keys", publicFile.toString());
      spec.commandLine().getOut().println(JsonOutput.write(m));
    } else {
      spec.commandLine().getOut().println("kid " + signer.kid());
      spec.commandLine().getOut().println("wrote " + privateFile
          + " (private: keep it with the app backend)");
      spec.commandLine().getOut().println("wrote " + publicFile
          + " (public: set node.tenant.keys to it on every member)");
    }
    return ExitCodes.OK;
  }
}
