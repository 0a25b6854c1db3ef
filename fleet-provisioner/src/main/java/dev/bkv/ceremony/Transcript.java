package dev.bkv.ceremony;

import dev.bkv.evidence.TranscriptEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** The ceremony's log of steps, kept for the evidence and echoed to a progress listener. */
public final class Transcript {
  private final List<TranscriptEntry> entries = new ArrayList<>();
  private final Consumer<String> progress;

  public Transcript(Consumer<String> progress) {
    this.progress = progress == null ? s -> { } : progress;
  }

  public synchronized void add(String step, String token, String detail) {
    entries.add(new TranscriptEntry(step, token, detail));
    progress.accept(step + " [" + token + "] " + detail);
  }

  public synchronized List<TranscriptEntry> entries() {
    return List.copyOf(entries);
  }

  /** Entries logged so far for {@code token}. */
  public synchronized List<TranscriptEntry> forToken(String token) {
    return entries.stream().filter(e -> e.token().equals(token)).toList();
  }
}
