package dev.bkv.node.service;

import dev.bkv.node.raft.ConfigException;
import dev.bkv.pkcs11.Pkcs11Config;
import dev.bkv.pkcs11.Pkcs11Token;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * A member process for tests: {@code TestMember <config> <secrets-hex-file>}. Puts the dev fleet
 * keys on its token if they are not there yet (first start), then runs {@link NodeMain}.
 */
public final class TestMember {
  private TestMember() {}

  public static void main(String[] args) throws Exception {
    Path conf = Path.of(args[0]);
    Properties p = VaultNode.loadProperties(conf);
    String fleet = p.getProperty("node.fleet-id");
    if (fleet == null) {
      throw new ConfigException("node.fleet-id missing");
    }
    try (Pkcs11Token token = Pkcs11Token.open(Pkcs11Config.fromProperties(p, conf.toString()))) {
      if (!DevFleetKeys.present(token, fleet)) {
        DevFleetKeys.importInto(token, fleet,
            DevFleetKeys.Secrets.fromHex(Files.readString(Path.of(args[1]))));
      }
    }
    NodeMain.main(new String[] {args[0]});
  }
}
