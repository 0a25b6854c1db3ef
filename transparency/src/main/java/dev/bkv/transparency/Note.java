package dev.bkv.transparency;

import static dev.bkv.transparency.MalformedInputException.Problem.MALFORMED_NOTE;
import static dev.bkv.transparency.MalformedInputException.Problem.NOTE_TOO_LARGE;
import static dev.bkv.transparency.MalformedInputException.Problem.TOO_MANY_SIGNATURES;

import dev.bkv.transparency.internal.NoteSyntax;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A C2SP signed note, syntax only: a text ending in a newline, a blank line, and one or more
 * signature lines. Nothing here checks signatures; use {@link SignedNotes#open} for that, and
 * ignore the text of any note that has not been opened.
 *
 * @param text the signed text, including its final newline
 * @param signatures the signature lines in order (at least one)
 */
public record Note(String text, List<NoteSignature> signatures) {

  public Note {
    if (textProblem(text) != null) {
      throw new IllegalArgumentException(textProblem(text));
    }
    if (signatures.isEmpty()) {
      throw new IllegalArgumentException("a signed note needs at least one signature");
    }
    signatures = List.copyOf(signatures);
  }

  /** Parses a note's bytes under the given limits, checking syntax but no signature. */
  public static Note parse(byte[] bytes, NoteLimits limits) throws MalformedInputException {
    if (bytes.length > limits.maxBytes()) {
      throw new MalformedInputException(NOTE_TOO_LARGE,
          "note is " + bytes.length + " bytes; the limit is " + limits.maxBytes());
    }
    String s = NoteSyntax.decodeUtf8(bytes);
    if (s == null) {
      throw new MalformedInputException(MALFORMED_NOTE, "note is not valid UTF-8");
    }
    int control = NoteSyntax.firstControlCharacter(s);
    if (control >= 0) {
      throw new MalformedInputException(MALFORMED_NOTE, String.format(
          "note has control character U+%04X at offset %d; only newline is allowed",
          (int) s.charAt(control), control));
    }
    int split = s.lastIndexOf("\n\n");
    if (split < 0) {
      throw new MalformedInputException(MALFORMED_NOTE,
          "note has no blank line between its text and its signatures");
    }
    String text = s.substring(0, split + 1);
    String block = s.substring(split + 2);
    if (block.isEmpty()) {
      throw new MalformedInputException(MALFORMED_NOTE, "note has no signature lines");
    }
    if (!block.endsWith("\n")) {
      throw new MalformedInputException(MALFORMED_NOTE,
          "note's last signature line does not end with a newline");
    }
    String[] lines = block.substring(0, block.length() - 1).split("\n", -1);
    if (lines.length > limits.maxSignatures()) {
      throw new MalformedInputException(TOO_MANY_SIGNATURES, "note has " + lines.length
          + " signature lines; the limit is " + limits.maxSignatures());
    }
    List<NoteSignature> sigs = new ArrayList<>(lines.length);
    for (int i = 0; i < lines.length; i++) {
      sigs.add(parseLine(lines[i], i + 1));
    }
    return new Note(text, sigs);
  }

  private static NoteSignature parseLine(String line, int number) throws MalformedInputException {
    if (!line.startsWith(NoteSignature.PREFIX)) {
      throw new MalformedInputException(MALFORMED_NOTE, "signature line " + number + " "
          + NoteSyntax.quote(line) + " does not start with an em dash and a space");
    }
    String rest = line.substring(NoteSignature.PREFIX.length());
    int space = rest.indexOf(' ');
    String name = space < 0 ? rest : rest.substring(0, space);
    String b64 = space < 0 ? "" : rest.substring(space + 1);
    if (!NoteSyntax.isValidKeyName(name)) {
      throw new MalformedInputException(MALFORMED_NOTE, "signature line " + number + " has invalid key "
          + "name " + NoteSyntax.quote(name) + "; expected non-empty, no spaces, no '+'");
    }
    byte[] raw = NoteSyntax.decodeBase64(b64);
    if (raw == null || raw.length < 5) {
      throw new MalformedInputException(MALFORMED_NOTE, "signature line " + number + " by " + name
          + " has " + (raw == null ? "invalid base64 " + NoteSyntax.quote(b64)
              : raw.length + " signature bytes; expected a 4-byte key ID and a signature"));
    }
    ByteBuffer buf = ByteBuffer.wrap(raw);
    int keyId = buf.getInt();
    byte[] sig = new byte[buf.remaining()];
    buf.get(sig);
    return new NoteSignature(name, keyId, sig);
  }

  /** The exact wire form: text, blank line, signature lines. */
  public byte[] toBytes() {
    StringBuilder b = new StringBuilder(text).append('\n');
    for (NoteSignature s : signatures) {
      b.append(s.toLine());
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Why {@code text} cannot be a note text, or null when it can. */
  static String textProblem(String text) {
    if (text == null || text.isEmpty() || !text.endsWith("\n")) {
      return "note text must be non-empty and end with a newline";
    }
    if (!NoteSyntax.isWellFormed(text)) {
      return "note text is not well-formed Unicode";
    }
    int control = NoteSyntax.firstControlCharacter(text);
    if (control >= 0) {
      return String.format("note text has control character U+%04X at offset %d",
          (int) text.charAt(control), control);
    }
    return null;
  }
}
