package dev.bkv.cli.token;

import dev.bkv.cli.CliException;
import dev.bkv.cli.ExitCodes;
import dev.bkv.cli.TokenOptions;
import dev.bkv.pkcs11.HsmKey;
import dev.bkv.pkcs11.KeySpec;
import dev.bkv.pkcs11.KeyUsage;
import dev.bkv.pkcs11.Pkcs11Token;
import dev.bkv.pkcs11.TokenKeys;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bkv token keygen}: generate one key on the token with an explicit template. */
@Command(
    name = "keygen",
    description = {
      "Generate a key on the token: sensitive, private, never extractable.",
      "Allowed pairs: ec-p256 with derive or sign; ed25519 with sign;",
      "aes-256 with encrypt or wrap; secret-32 with hmac."
    })
public final class TokenKeygen implements Callable<Integer> {
  /** Key types offered by the command. */
  enum Type { EC_P256, ED25519, AES_256, SECRET_32 }

  /** What the key may be used for. */
  enum Usage { DERIVE, SIGN, ENCRYPT, WRAP, HMAC }

  @Mixin TokenOptions token;
  @Spec CommandSpec spec;

  @Option(names = "--type", required = true, converter = Names.TypeConverter.class,
      description = "ec-p256, ed25519, aes-256 or secret-32.")
  Type type;

  @Option(names = "--label", required = true, description = "CKA_LABEL; must not exist yet.")
  String label;

  @Option(names = "--usage", required = true, converter = Names.UsageConverter.class,
      description = "derive, sign, encrypt, wrap or hmac.")
  Usage usage;

  @Override
  public Integer call() throws Exception {
    KeySpec keySpec = spec();
    try (Pkcs11Token t = token.open()) {
      TokenKeys keys = t.keys();
      HsmKey key = switch (type) {
        case EC_P256 -> keys.generateEcP256(keySpec);
        case ED25519 -> keys.generateEd25519(keySpec);
        case AES_256 -> keys.generateAes256(keySpec);
        case SECRET_32 -> keys.generateHmacKey(keySpec);
      };
      spec.commandLine().getOut().printf("generated %s key '%s' (id %s) for %s%n",
          Names.of(type), key.label(), java.util.HexFormat.of().formatHex(key.id()),
          Names.of(usage));
    }
    return 0;
  }

  private KeySpec spec() throws CliException {
    boolean allowed = switch (type) {
      case EC_P256 -> usage == Usage.DERIVE || usage == Usage.SIGN;
      case ED25519 -> usage == Usage.SIGN;
      case AES_256 -> usage == Usage.ENCRYPT || usage == Usage.WRAP;
      case SECRET_32 -> usage == Usage.HMAC;
    };
    if (!allowed) {
      throw new CliException(ExitCodes.USAGE, "--usage " + Names.of(usage)
          + " does not fit --type " + Names.of(type) + " (see bkv token keygen --help)");
    }
    return switch (usage) {
      case DERIVE -> KeySpec.of(label, KeyUsage.DERIVE);
      case SIGN -> KeySpec.of(label, KeyUsage.SIGN);
      case ENCRYPT -> KeySpec.of(label, KeyUsage.ENCRYPT, KeyUsage.DECRYPT);
      case WRAP -> KeySpec.of(label, KeyUsage.WRAP, KeyUsage.UNWRAP);
      case HMAC -> KeySpec.of(label, KeyUsage.SIGN, KeyUsage.VERIFY);
    };
  }
}
