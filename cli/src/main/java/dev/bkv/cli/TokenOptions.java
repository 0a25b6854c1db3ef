package dev.bkv.cli;

import dev.bkv.pkcs11.HsmException;
import dev.bkv.pkcs11.Pkcs11Config;
import dev.bkv.pkcs11.Pkcs11Token;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --token FILE} option shared by every command that uses one PKCS#11 token. */
public final class TokenOptions {
  @Option(
      names = {"--token", "--config"},
      required = true,
      paramLabel = "FILE",
      description = "bkv config file naming the PKCS#11 module, the token and where its PINs are"
          + " (pkcs11.* keys; see README).")
  Path file;

  /** The parsed config. */
  public Pkcs11Config config() throws HsmException {
    return Pkcs11Config.load(file);
  }

  /** Opens and logs in to the token. */
  public Pkcs11Token open() throws HsmException {
    return Pkcs11Token.open(config());
  }
}
