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

  /**
   * Opens the token for {@code role}: refused at once, closed again, naming what is missing,
   * when the token cannot host it ({@link Preflight}).
   */
  public Pkcs11Token openFor(dev.bkv.pkcs11.check.Role role) throws HsmException, CliException {
    Pkcs11Token t = open();
    try {
      Preflight.require(t, role);
      return t;
    } catch (CliException | RuntimeException e) {
      t.close();
      throw e;
    }
  }
}
