package dev.bkv.transparency;

import java.util.List;

/**
 * A note whose signatures were checked by {@link SignedNotes#open}.
 *
 * @param text the note text, now safe to act on
 * @param verified signatures by trusted keys that verified (at least one; one per key)
 * @param unverified signatures by keys the caller did not trust, kept for re-publication
 */
public record VerifiedNote(String text, List<NoteSignature> verified,
    List<NoteSignature> unverified) {

  public VerifiedNote {
    verified = List.copyOf(verified);
    unverified = List.copyOf(unverified);
    if (verified.isEmpty()) {
      throw new IllegalArgumentException("a verified note has at least one verified signature");
    }
  }

  /** True when a verified signature is by the key with this name and ID. */
  public boolean isSignedBy(String name, int keyId) {
    return verified.stream().anyMatch(s -> s.name().equals(name) && s.keyId() == keyId);
  }

  /** The verified signature by that key, for example to countersign its bytes. */
  public NoteSignature signatureBy(String name, int keyId) {
    return verified.stream().filter(s -> s.name().equals(name) && s.keyId() == keyId)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no verified signature by " + name));
  }
}
