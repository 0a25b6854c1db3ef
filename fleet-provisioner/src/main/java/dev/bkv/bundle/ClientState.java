package dev.bkv.bundle;

import dev.bkv.transparency.MalformedInputException;
import dev.bkv.transparency.DurableFiles;
import dev.bkv.transparency.Sha256Hash;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * What a client remembers between verifications: the highest epoch it accepted, the hash of that
 * epoch's bundle text (to detect equivocation), and the largest cosigner checkpoint it has seen
 * (to demand consistency proofs). Stored as JSON and replaced atomically, only after a bundle
 * passed every check.
 *
 * @param bundleNote the cosigner-signed note of the bundle accepted at {@code epoch}: with a
 *     conflicting one it proves equivocation to third parties
 * @param checkpoint the signed checkpoint note, re-verified on every use
 */
public record ClientState(String format, long epoch, String bundleHash, String bundleNote,
    String checkpoint) {

  public static final String FORMAT = "bkv.dev/bundle-client-state/v1";

  public ClientState {
    if (!FORMAT.equals(format) || epoch < 1 || bundleHash == null || checkpoint == null
        || bundleNote == null || !bundleHash.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("client state must have format " + FORMAT
          + ", an epoch >= 1, a hex bundle hash, the bundle note and a checkpoint");
    }
  }

  static ClientState of(long epoch, Sha256Hash bundleHash, String bundleNote,
      byte[] checkpoint) {
    return new ClientState(FORMAT, epoch, bundleHash.toHex(), bundleNote,
        new String(checkpoint, StandardCharsets.UTF_8));
  }

  Sha256Hash hash() {
    try {
      return Sha256Hash.of(java.util.HexFormat.of().parseHex(bundleHash));
    } catch (MalformedInputException e) {
      throw new IllegalStateException("checked in the constructor", e);
    }
  }

  /** Reads a state file; a missing file is a client that has seen nothing yet (null). */
  public static ClientState read(Path file) throws BundleException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new BundleFaultException("cannot read state file " + file + ": " + e, e);
    }
    try {
      return BundleJson.read(bytes, ClientState.class);
    } catch (IOException | RuntimeException e) {
      throw new MalformedBundleException("state file " + file + " is malformed: "
          + e.getMessage().lines().findFirst().orElse(""), e);
    }
  }

  /** Replaces the state file atomically (temp file, fsync, rename). */
  public void write(Path file) throws BundleException {
    try {
      Path dir = file.toAbsolutePath().getParent();
      DurableFiles.createDirectories(dir);
      DurableFiles.replace(file.toAbsolutePath(), BundleJson.write(this));
    } catch (IOException e) {
      throw new BundleFaultException("cannot write state file " + file + ": " + e, e);
    }
  }
}
