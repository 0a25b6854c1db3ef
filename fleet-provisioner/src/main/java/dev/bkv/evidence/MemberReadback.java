package dev.bkv.evidence;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A member's signed section plus the ceremony steps it performed: what a member hands the
 * operator in the split ceremony ({@code X.readback.json}), and what the single-process
 * ceremony collects per member.
 */
public record MemberReadback(MemberSection section, List<TranscriptEntry> transcript) {
  public MemberReadback {
    Objects.requireNonNull(section, "section");
    transcript = List.copyOf(transcript == null ? List.of() : transcript);
  }

  public static MemberReadback read(Path file) throws IOException, MalformedEvidenceException {
    return Json.parse(Files.readAllBytes(file), MemberReadback.class, "member read-back " + file);
  }

  public void write(Path file) throws IOException {
    Files.write(file, Json.pretty(this));
  }
}
