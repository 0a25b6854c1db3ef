package dev.bkv.cli.cosigner;

import dev.bkv.bundle.HsmNoteSigner;
import dev.bkv.cli.CliException;
import dev.bkv.cli.ExitCodes;
import dev.bkv.pkcs11.HsmException;
import dev.bkv.pkcs11.HsmNotFoundException;
import dev.bkv.pkcs11.Pkcs11Config;
import dev.bkv.pkcs11.Pkcs11Token;
import dev.bkv.transparency.NoteKeyFiles;
import dev.bkv.transparency.NoteSigner;
import dev.bkv.transparency.TransparencyException;
import dev.bkv.transparency.VerifierKey;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;

/**
 * A cosigner directory: {@code cosigner.properties} (key name, and either {@code key = file} with
 * {@code cosigner.key}, or {@code key = token} with the token config and key label),
 * {@code cosigner.vkey} (the public verifier key to publish) and {@code log/} (the audit log,
 * served as static files).
 */
record CosignerConfig(Path dir, String name, Path tokenConfig, String label) {

  static final String FILE = "cosigner.properties";
  static final String KEY_FILE = "cosigner.key";
  static final String VKEY_FILE = "cosigner.vkey";

  Path log() {
    return dir.resolve("log");
  }

  static CosignerConfig load(Path dir) throws CliException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(dir.resolve(FILE))) {
      p.load(r);
    } catch (NoSuchFileException e) {
      throw new CliException(ExitCodes.NOT_FOUND, "no cosigner in " + dir + " (" + FILE
          + " missing); run bkv cosigner init --dir " + dir);
    } catch (IOException e) {
      throw new CliException(ExitCodes.BAD_INPUT, "cannot read " + dir.resolve(FILE) + ": " + e);
    }
    String name = p.getProperty("name");
    String key = p.getProperty("key");
    if (name == null || !("file".equals(key) || "token".equals(key) && p.getProperty("token") != null
        && p.getProperty("label") != null)) {
      throw new CliException(ExitCodes.BAD_INPUT, dir.resolve(FILE) + " needs name and key = file,"
          + " or key = token with token and label");
    }
    return "file".equals(key) ? new CosignerConfig(dir, name, null, null)
        : new CosignerConfig(dir, name, Path.of(p.getProperty("token")), p.getProperty("label"));
  }

  void save() throws CliException {
    StringBuilder b = new StringBuilder("# bkv cosigner\nname = ").append(name).append('\n');
    if (tokenConfig == null) {
      b.append("key = file\n");
    } else {
      b.append("key = token\ntoken = ").append(tokenConfig.toAbsolutePath()).append('\n')
          .append("label = ").append(label).append('\n');
    }
    try {
      Files.writeString(dir.resolve(FILE), b.toString(), java.nio.file.StandardOpenOption.CREATE_NEW);
    } catch (IOException e) {
      throw new CliException(ExitCodes.BAD_INPUT, "cannot write " + dir.resolve(FILE) + ": " + e);
    }
  }

  /** An open signing key; closes the token session, if any, with it. */
  record Key(NoteSigner signer, VerifierKey verifierKey, Pkcs11Token token)
      implements AutoCloseable {
    @Override
    public void close() {
      if (token != null) {
        token.close();
      }
    }
  }

  Key open() throws CliException, HsmException, TransparencyException {
    if (tokenConfig == null) {
      var signer = NoteKeyFiles.read(dir.resolve(KEY_FILE));
      if (!signer.name().equals(name)) {
        throw new CliException(ExitCodes.BAD_INPUT, "key file " + dir.resolve(KEY_FILE)
            + " is for " + signer.name() + "; " + FILE + " says " + name);
      }
      return new Key(signer, signer.verifierKey(), null);
    }
    Pkcs11Token token = Pkcs11Token.open(Pkcs11Config.load(tokenConfig));
    try {
      HsmNoteSigner signer;
      try {
        signer = HsmNoteSigner.ed25519(name, token.keys().findEd25519(label));
      } catch (HsmNotFoundException e) {
        // made on a token without EdDSA: an ECDSA P-256 note key (see bkv token check)
        signer = HsmNoteSigner.ecdsa(name, token.keys().findEcP256(label));
      }
      return new Key(signer, signer.verifierKey(), token);
    } catch (HsmException | TransparencyException | RuntimeException e) {
      token.close();
      throw e;
    }
  }
}
