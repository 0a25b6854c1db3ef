package dev.bkv.evidence;

import java.util.Objects;

/**
 * One step of the ceremony as it happened: which step, on which token (label), and what was
 * done. Never contains secrets or wrapped key material.
 */
public record TranscriptEntry(String step, String token, String detail) {
  public TranscriptEntry {
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(detail, "detail");
  }
}
