package dev.bkv.bundle.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.bkv.bundle.CosignedBundle;
import dev.bkv.bundle.EvidenceFacts;
import dev.bkv.bundle.MalformedBundleException;
import dev.bkv.bundle.ValidationBundle;
import dev.bkv.evidence.Envelope;
import dev.bkv.evidence.EvidencePayload;
import dev.bkv.evidence.MalformedEvidenceException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzz targets for what clients and auditors parse: validation bundle text, cosigned bundle
 * JSON, the facts a bundle takes from an evidence envelope, the evidence envelope file and its
 * payload. Property: only {@link MalformedBundleException} / {@link MalformedEvidenceException}
 * (and {@link IOException} for a file) escape; a parsed bundle text prints back identically.
 */
class EvidenceAndBundleFuzzTest {
  private static final Path FILE = tempFile();

  private static Path tempFile() {
    try {
      Path p = Files.createTempFile("bkv-fuzz-evidence", ".json");
      p.toFile().deleteOnExit();
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @FuzzTest
  void validationBundle(byte[] data) {
    String text = new String(data, StandardCharsets.UTF_8);
    try {
      assertEquals(text, ValidationBundle.parse(text).toText());
    } catch (MalformedBundleException expected) {
      // rejected input
    }
  }

  @FuzzTest
  void cosignedBundle(byte[] data) {
    try {
      CosignedBundle.parse(data);
    } catch (MalformedBundleException expected) {
      // rejected input
    }
  }

  @FuzzTest
  void evidenceFacts(byte[] data) {
    try {
      EvidenceFacts.read(data);
    } catch (MalformedBundleException expected) {
      // rejected input
    }
  }

  @FuzzTest
  void evidencePayload(byte[] data) {
    try {
      EvidencePayload.parse(data);
    } catch (MalformedEvidenceException expected) {
      // rejected input
    }
  }

  @FuzzTest
  void evidenceEnvelope(byte[] data) throws IOException {
    Files.write(FILE, data);
    try {
      Envelope.read(FILE).payloadBytes();
    } catch (MalformedEvidenceException expected) {
      // rejected input
    }
  }
}
