package dev.bkv.evidence;

import dev.bkv.crypto.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Which code produced the evidence: the SHA-256 of the jar this class was loaded from, or
 * {@code development} when it runs from a class directory (IDE, tests).
 *
 * @param artifact file name of the jar, or the class directory
 * @param sha256   hex SHA-256 of the jar, or {@code development}
 */
public record SoftwareVersion(String artifact, String sha256) {
  public static final String DEVELOPMENT = "development";

  public SoftwareVersion {
    Objects.requireNonNull(artifact, "artifact");
    Objects.requireNonNull(sha256, "sha256");
  }

  /** The running code's version. */
  public static SoftwareVersion running() {
    CodeSource cs = SoftwareVersion.class.getProtectionDomain().getCodeSource();
    if (cs == null || cs.getLocation() == null) {
      return new SoftwareVersion("unknown", DEVELOPMENT);
    }
    try {
      Path p = Path.of(cs.getLocation().toURI());
      if (!Files.isRegularFile(p)) {
        return new SoftwareVersion(p.getFileName().toString(), DEVELOPMENT);
      }
      return new SoftwareVersion(p.getFileName().toString(), sha256(p));
    } catch (URISyntaxException | IOException | IllegalArgumentException e) {
      return new SoftwareVersion("unknown", DEVELOPMENT);
    }
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = Sha256.newDigest();
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    }
  }
}
