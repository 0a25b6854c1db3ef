package dev.bkv.transparency;

import static dev.bkv.transparency.MalformedInputException.Problem.MALFORMED_CHECKPOINT;

import dev.bkv.transparency.internal.CosignatureV1;
import dev.bkv.transparency.internal.NoteSyntax;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * A C2SP tlog-checkpoint body: origin, tree size, base64 root hash, then optional non-empty
 * extension lines, each ending in a newline. As a signed note it is the log's signed tree head.
 *
 * @param origin the log identity (non-empty; the log's key name SHOULD equal it)
 * @param size the number of leaves
 * @param root the RFC 6962 root hash at {@code size}
 * @param extensions opaque extension lines (not recommended; kept and signed verbatim)
 */
public record Checkpoint(String origin, long size, Sha256Hash root, List<String> extensions) {

  public Checkpoint {
    if (origin == null || origin.isEmpty() || origin.indexOf('\n') >= 0
        || NoteSyntax.firstControlCharacter(origin) >= 0) {
      throw new IllegalArgumentException("checkpoint origin must be one non-empty line");
    }
    if (size < 0) {
      throw new IllegalArgumentException("tree size is " + size + "; expected >= 0");
    }
    extensions = List.copyOf(extensions);
    for (String e : extensions) {
      if (e.isEmpty() || e.indexOf('\n') >= 0 || NoteSyntax.firstControlCharacter(e) >= 0) {
        throw new IllegalArgumentException("extension lines must be single non-empty lines");
      }
    }
  }

  public Checkpoint(String origin, long size, Sha256Hash root) {
    this(origin, size, root, List.of());
  }

  /** Parses a checkpoint body (the note text, ending with a newline). */
  public static Checkpoint parse(String text) throws MalformedInputException {
    if (!text.endsWith("\n")) {
      throw new MalformedInputException(MALFORMED_CHECKPOINT, "checkpoint does not end with a newline");
    }
    List<String> lines = Arrays.asList(text.substring(0, text.length() - 1).split("\n", -1));
    if (lines.size() < 3) {
      throw new MalformedInputException(MALFORMED_CHECKPOINT,
          "checkpoint has " + lines.size() + " lines; expected origin, size and root hash");
    }
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isEmpty()) {
        throw new MalformedInputException(MALFORMED_CHECKPOINT, "checkpoint line " + (i + 1)
            + " is empty; every line must be non-empty");
      }
    }
    if (NoteSyntax.firstControlCharacter(text) >= 0 || !NoteSyntax.isWellFormed(text)) {
      throw new MalformedInputException(MALFORMED_CHECKPOINT,
          "checkpoint has a control character or is not well-formed Unicode");
    }
    String sizeLine = lines.get(1);
    if (!sizeLine.matches("0|[1-9][0-9]{0,18}")) {
      throw new MalformedInputException(MALFORMED_CHECKPOINT, "checkpoint tree size "
          + NoteSyntax.quote(sizeLine) + " is not a decimal without leading zeros");
    }
    long size;
    try {
      size = Long.parseLong(sizeLine);
    } catch (NumberFormatException e) {
      throw new MalformedInputException(MALFORMED_CHECKPOINT,
          "checkpoint tree size " + sizeLine + " does not fit in 63 bits", e);
    }
    Sha256Hash root;
    try {
      root = Sha256Hash.ofBase64(lines.get(2));
    } catch (MalformedInputException e) {
      throw new MalformedInputException(MALFORMED_CHECKPOINT, "checkpoint root hash: " + e.getMessage(),
          e);
    }
    return new Checkpoint(lines.get(0), size, root, lines.subList(3, lines.size()));
  }

  /** The note text. */
  public String toText() {
    StringBuilder b = new StringBuilder()
        .append(origin).append('\n')
        .append(size).append('\n')
        .append(root.toBase64()).append('\n');
    for (String e : extensions) {
      b.append(e).append('\n');
    }
    return b.toString();
  }

  /**
   * Checks that {@code newer} continues this checkpoint's log: same origin, no smaller size, and
   * a valid consistency proof (empty for equal sizes, which must then have equal roots). Any
   * failure is reported as {@link VerificationFailedException.Reason#INCONSISTENT_TREE} (or
   * ORIGIN_MISMATCH): a log that shows two such views has forked or rolled back.
   */
  public void verifyExtendedBy(Checkpoint newer, List<Sha256Hash> proof)
      throws TransparencyException {
    if (!origin.equals(newer.origin)) {
      throw new VerificationFailedException(VerificationFailedException.Reason.ORIGIN_MISMATCH,
          "checkpoint origin " + NoteSyntax.quote(newer.origin) + " is not "
              + NoteSyntax.quote(origin));
    }
    if (newer.size < size) {
      throw inconsistent("new checkpoint has size " + newer.size + ", smaller than the "
          + size + " already seen (rollback)");
    }
    if (size == 0) {
      if (!root.equals(Rfc6962.emptyRoot())) {
        throw inconsistent("stored checkpoint of size 0 has a root other than the empty root");
      }
      return;
    }
    try {
      MerkleProofs.verifyConsistency(size, newer.size, proof, root, newer.root);
    } catch (VerificationFailedException e) {
      throw inconsistent("checkpoint of size " + newer.size + " does not extend the one of size "
          + size + " already seen: " + e.getMessage());
    }
  }

  private static VerificationFailedException inconsistent(String message) {
    return new VerificationFailedException(VerificationFailedException.Reason.INCONSISTENT_TREE,
        message);
  }

  /** Signs this checkpoint as a note. */
  public Note sign(List<? extends NoteSigner> signers) throws TransparencyException {
    return SignedNotes.sign(toText(), signers);
  }

  /**
   * Opens a signed checkpoint: at least one trusted signature must verify, the body must parse,
   * and its origin must be {@code expectedOrigin}. The trusted keys are the log's: a witness's
   * cosignature key is refused (WRONG_KEY_ROLE), so a cosignature never stands in for the log's
   * signature; check cosignatures with {@link WitnessPolicy}.
   */
  public static Checkpoint open(byte[] note, String expectedOrigin,
      Collection<? extends NoteVerifier> trusted) throws TransparencyException {
    for (NoteVerifier v : trusted) {
      if (v instanceof CosignatureV1) {
        throw new VerificationFailedException(VerificationFailedException.Reason.WRONG_KEY_ROLE,
            "key " + v.name() + "+" + NoteSyntax.keyIdHex(v.keyId()) + " is a witness's"
                + " cosignature key (type 0x04); a checkpoint must be opened with the log's key");
      }
    }
    Checkpoint c = parse(SignedNotes.open(note, trusted).text());
    if (!c.origin.equals(expectedOrigin)) {
      throw new VerificationFailedException(VerificationFailedException.Reason.ORIGIN_MISMATCH,
          "checkpoint origin " + NoteSyntax.quote(c.origin) + " is not the expected "
              + NoteSyntax.quote(expectedOrigin));
    }
    return c;
  }
}
