package dev.bkv.cli.client;

import dev.bkv.cli.CliException;
import dev.bkv.cli.ExitCodes;
import dev.bkv.recovery.SecretBytes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/** Reading, formatting and writing 32-byte backup keys (hex or base64). */
final class BackupKeys {
  private BackupKeys() {}

  /** A file holding 32 raw bytes, 64 hex digits or base64 of 32 bytes. */
  static SecretBytes read(Path file) throws IOException, CliException {
    byte[] raw = Files.readAllBytes(file);
    if (raw.length == 32) {
      return SecretBytes.copyOf(raw);
    }
    String text = new String(raw, java.nio.charset.StandardCharsets.US_ASCII).trim();
    byte[] key;
    try {
      key = text.length() == 64 ? HexFormat.of().parseHex(text) : Base64.getDecoder()
          .decode(text);
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.BAD_INPUT, "backup key file " + file
          + " is neither 32 raw bytes, 64 hex digits nor base64", e);
    }
    if (key.length != 32) {
      throw new CliException(ExitCodes.BAD_INPUT, "backup key in " + file + " is " + key.length
          + " bytes; expected 32");
    }
    SecretBytes s = SecretBytes.copyOf(key);
    Arrays.fill(key, (byte) 0);
    return s;
  }

  static String format(SecretBytes key, String format) throws CliException {
    byte[] k = key.copy();
    try {
      return switch (format) {
        case "hex" -> HexFormat.of().formatHex(k);
        case "base64" -> Base64.getEncoder().encodeToString(k);
        default -> throw new CliException(ExitCodes.USAGE, "--format is '" + format
            + "'; expected hex or base64");
      };
    } finally {
      Arrays.fill(k, (byte) 0);
    }
  }

  /** Writes the formatted key to a new file readable only by its owner. */
  static void write(Path file, String text) throws IOException {
    Files.deleteIfExists(file);
    Files.createFile(file, PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, text + "\n");
  }
}
