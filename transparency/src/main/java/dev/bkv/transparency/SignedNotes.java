package dev.bkv.transparency;

import static dev.bkv.transparency.MalformedInputException.Problem.BAD_KEY;
import static dev.bkv.transparency.MalformedInputException.Problem.BAD_KEY_NAME;
import static dev.bkv.transparency.MalformedInputException.Problem.MALFORMED_NOTE;

import dev.bkv.transparency.internal.NoteSyntax;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Signing and opening C2SP signed notes, with the same acceptance rules as Go's
 * golang.org/x/mod/sumdb/note {@code Open}:
 *
 * <ul>
 *   <li>signatures whose (name, key ID) pair is not trusted are ignored (kept as unverified);
 *   <li>a signature by a trusted key is verified, and if it fails the whole note is rejected;
 *   <li>repeated signatures by one trusted key: the first one decides;
 *   <li>at least one trusted signature must verify.
 * </ul>
 */
public final class SignedNotes {

  private SignedNotes() {}

  /** Signs {@code text} (ending in a newline) with every signer, in order. */
  public static Note sign(String text, List<? extends NoteSigner> signers)
      throws TransparencyException {
    String problem = Note.textProblem(text);
    if (problem != null) {
      throw new MalformedInputException(MALFORMED_NOTE, problem);
    }
    if (signers.isEmpty()) {
      throw new MalformedInputException(MALFORMED_NOTE, "a note needs at least one signer");
    }
    return new Note(text, signatures(text, signers));
  }

  /**
   * Adds signatures to an existing note (for example a witness cosignature); an existing
   * signature by the same name and key ID is replaced, as Go's note.Sign does.
   */
  public static Note addSignatures(Note note, List<? extends NoteSigner> signers)
      throws TransparencyException {
    List<NoteSignature> fresh = signatures(note.text(), signers);
    List<NoteSignature> all = new ArrayList<>();
    for (NoteSignature old : note.signatures()) {
      if (fresh.stream().noneMatch(s -> s.name().equals(old.name()) && s.keyId() == old.keyId())) {
        all.add(old);
      }
    }
    all.addAll(fresh);
    return new Note(note.text(), all);
  }

  private static List<NoteSignature> signatures(String text, List<? extends NoteSigner> signers)
      throws TransparencyException {
    byte[] message = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    List<NoteSignature> out = new ArrayList<>();
    for (NoteSigner signer : signers) {
      if (!NoteSyntax.isValidKeyName(signer.name())) {
        throw new MalformedInputException(BAD_KEY_NAME, "signer name " + NoteSyntax.quote(signer.name())
            + " is invalid; expected non-empty, no spaces, no '+'");
      }
      byte[] sig = signer.sign(message);
      if (sig == null || sig.length == 0) {
        throw new MalformedInputException(BAD_KEY, "signer " + signer.name() + " returned no signature");
      }
      out.add(new NoteSignature(signer.name(), signer.keyId(), sig));
    }
    return out;
  }

  /** Parses and verifies a note under {@link NoteLimits#DEFAULT}. */
  public static VerifiedNote open(byte[] note, Collection<? extends NoteVerifier> trusted)
      throws TransparencyException {
    return open(note, trusted, NoteLimits.DEFAULT);
  }

  /** Parses the note, then applies the acceptance rules in the class comment. */
  public static VerifiedNote open(byte[] note, Collection<? extends NoteVerifier> trusted,
      NoteLimits limits) throws TransparencyException {
    Map<String, NoteVerifier> byKey = index(trusted);
    Note parsed = Note.parse(note, limits);
    byte[] message = parsed.text().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    List<NoteSignature> verified = new ArrayList<>();
    Map<String, NoteSignature> unverified = new LinkedHashMap<>();
    Set<String> seen = new HashSet<>();
    for (NoteSignature sig : parsed.signatures()) {
      String label = sig.keyLabel();
      NoteVerifier v = byKey.get(label);
      if (v == null) {
        unverified.putIfAbsent(sig.toLine(), sig);
        continue;
      }
      if (!seen.add(label)) {
        continue;
      }
      if (!v.verify(message, sig.signature())) {
        throw new VerificationFailedException(VerificationFailedException.Reason.INVALID_SIGNATURE,
            "signature by trusted key " + label + " does not verify");
      }
      verified.add(sig);
    }
    if (verified.isEmpty()) {
      List<String> signers = parsed.signatures().stream().map(NoteSignature::keyLabel).toList();
      throw new VerificationFailedException(
          VerificationFailedException.Reason.NO_TRUSTED_SIGNATURE,
          "note has no signature by a trusted key; it is signed by " + signers + ", trusted are "
              + byKey.keySet());
    }
    return new VerifiedNote(parsed.text(), verified, new ArrayList<>(unverified.values()));
  }

  private static Map<String, NoteVerifier> index(Collection<? extends NoteVerifier> trusted)
      throws MalformedInputException {
    Map<String, NoteVerifier> byKey = new HashMap<>();
    for (NoteVerifier v : trusted) {
      String label = v.name() + "+" + NoteSyntax.keyIdHex(v.keyId());
      if (byKey.put(label, v) != null) {
        throw new MalformedInputException(BAD_KEY,
            "two trusted keys share the name and key ID " + label + "; the choice is ambiguous");
      }
    }
    return byKey;
  }
}
