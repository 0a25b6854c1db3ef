package dev.bkv.transparency;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Set;

/**
 * Ed25519 file keys: one line holding the Go sumdb/note signer key text
 * ({@code PRIVATE+KEY+name+keyid+base64(0x01 || seed)}), readable by the owner only.
 */
public final class NoteKeyFiles {

  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private NoteKeyFiles() {}

  /** Writes a new key file (mode 0600); refuses to overwrite an existing file. */
  public static void write(Path file, Ed25519NoteSigner signer) throws TransparencyFaultException {
    writeText(file, signer.toSignerKey());
  }

  /** Writes a new witness cosigner key file (mode 0600); refuses to overwrite one. */
  public static void write(Path file, Ed25519Cosigner cosigner)
      throws TransparencyFaultException {
    writeText(file, cosigner.toSignerKey());
  }

  /** Reads a witness cosigner key file (same permission rule as {@link #read(Path)}). */
  public static Ed25519Cosigner readCosigner(Path file, java.time.Clock clock)
      throws TransparencyException {
    return readText(file, text -> Ed25519Cosigner.fromSignerKey(text, clock));
  }

  /** Reads a key file; it must not be readable or writable by group or others. */
  public static Ed25519NoteSigner read(Path file) throws TransparencyException {
    return readText(file, Ed25519NoteSigner::fromSignerKey);
  }

  private interface KeyParser<T> {
    T parse(CharSequence text) throws MalformedInputException;
  }

  private static void writeText(Path file, char[] text) throws TransparencyFaultException {
    ByteBuffer bytes = StandardCharsets.US_ASCII.encode(CharBuffer.wrap(text));
    Arrays.fill(text, '\0');
    try (FileChannel ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(OWNER_ONLY))) {
      ch.write(bytes);
      ch.write(ByteBuffer.wrap(new byte[] {'\n'}));
      ch.force(true);
    } catch (FileAlreadyExistsException e) {
      throw new TransparencyFaultException("key file " + file + " already exists; not overwriting it");
    } catch (IOException e) {
      throw new TransparencyFaultException("cannot write key file " + file + ": " + e, e);
    } finally {
      Arrays.fill(bytes.array(), (byte) 0);
    }
  }

  private static <T> T readText(Path file, KeyParser<T> parser) throws TransparencyException {
    byte[] raw = null;
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      if (!OWNER_ONLY.containsAll(perms)) {
        throw new TransparencyFaultException("key file " + file + " has permissions "
            + PosixFilePermissions.toString(perms) + "; expected rw------- or stricter");
      }
      raw = Files.readAllBytes(file);
      int end = raw.length;
      while (end > 0 && (raw[end - 1] == '\n')) {
        end--;
      }
      CharBuffer text = StandardCharsets.US_ASCII.decode(ByteBuffer.wrap(raw, 0, end));
      try {
        return parser.parse(text);
      } finally {
        Arrays.fill(text.array(), '\0');
      }
    } catch (IOException e) {
      throw new TransparencyFaultException("cannot read key file " + file + ": " + e, e);
    } finally {
      if (raw != null) {
        Arrays.fill(raw, (byte) 0);
      }
    }
  }
}
