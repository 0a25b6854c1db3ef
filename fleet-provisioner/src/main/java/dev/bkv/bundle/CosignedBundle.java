package dev.bkv.bundle;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.bkv.transparency.MalformedInputException;
import dev.bkv.transparency.InclusionProof;
import dev.bkv.transparency.Note;
import dev.bkv.transparency.NoteLimits;
import dev.bkv.transparency.NoteSignature;
import dev.bkv.transparency.Sha256Hash;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * What a client is given ({@code BUNDLE.cosigned}, JSON): the bundle as a signed note carrying
 * the cosigner's signature, the cosigner's signed checkpoint, the inclusion proof of the bundle
 * text (leaf {@code index}) in that checkpoint's tree, and the operator's countersignature over
 * the cosigner's signature bytes ({@code name base64(keyID || sig)}, null until countersigned).
 * Nothing here is trusted until {@link BundleVerifier} has checked it.
 */
public record CosignedBundle(String format, String note, long index, String checkpoint,
    List<String> inclusionProof, String countersignature) {

  public static final String FORMAT = "bkv.dev/cosigned-bundle/v1";

  public CosignedBundle {
    inclusionProof = List.copyOf(inclusionProof);
  }

  /** A fresh cosigner answer, without countersignature. */
  public static CosignedBundle of(Note note, long index, byte[] checkpoint, InclusionProof proof) {
    List<String> hashes = proof.hashes().stream().map(Sha256Hash::toBase64).toList();
    return new CosignedBundle(FORMAT, new String(note.toBytes(), StandardCharsets.UTF_8), index,
        new String(checkpoint, StandardCharsets.UTF_8), hashes, null);
  }

  /** This bundle with the operator's countersignature (replacing any earlier one). */
  public CosignedBundle withCountersignature(NoteSignature counter) {
    return new CosignedBundle(format, note, index, checkpoint, inclusionProof,
        counter.name() + " " + counter.base64());
  }

  /** Parses the JSON form; fields are checked here only for syntax. */
  public static CosignedBundle parse(byte[] json) throws MalformedBundleException {
    CosignedBundle b;
    try {
      b = BundleJson.read(json, CosignedBundle.class);
    } catch (IOException e) {
      throw new MalformedBundleException("cosigned bundle is not valid JSON of format " + FORMAT
          + ": " + e.getMessage().lines().findFirst().orElse(""), e);
    } catch (RuntimeException e) {
      throw new MalformedBundleException("cosigned bundle is malformed: " + e.getMessage(), e);
    }
    if (!FORMAT.equals(b.format) || b.note == null || b.checkpoint == null) {
      throw new MalformedBundleException("cosigned bundle has format '" + b.format
          + "' or lacks note/checkpoint; expected format " + FORMAT);
    }
    return b;
  }

  public byte[] toJson() {
    try {
      return BundleJson.write(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize a cosigned bundle", e);
    }
  }

  /** The bundle note, syntax checked (signatures are not). */
  public Note parsedNote() throws MalformedBundleException {
    try {
      return Note.parse(note.getBytes(StandardCharsets.UTF_8), NoteLimits.DEFAULT);
    } catch (MalformedInputException e) {
      throw new MalformedBundleException("bundle note: " + e.getMessage(), e);
    }
  }

  /** The proof hashes, decoded. */
  public InclusionProof proof(long treeSize) throws MalformedBundleException {
    List<Sha256Hash> hashes = new ArrayList<>();
    try {
      for (String h : inclusionProof) {
        hashes.add(Sha256Hash.ofBase64(h));
      }
      return new InclusionProof(index, treeSize, hashes);
    } catch (MalformedInputException | IllegalArgumentException e) {
      throw new MalformedBundleException("inclusion proof: " + e.getMessage(), e);
    }
  }

  /** The countersignature, or null when there is none. */
  public NoteSignature parsedCountersignature() throws MalformedBundleException {
    if (countersignature == null) {
      return null;
    }
    int space = countersignature.indexOf(' ');
    try {
      byte[] raw = Base64.getDecoder().decode(countersignature.substring(space + 1));
      if (space <= 0 || raw.length < 5) {
        throw new IllegalArgumentException("expected 'name base64(keyID || signature)'");
      }
      ByteBuffer buf = ByteBuffer.wrap(raw);
      int keyId = buf.getInt();
      byte[] sig = new byte[buf.remaining()];
      buf.get(sig);
      return new NoteSignature(countersignature.substring(0, space), keyId, sig);
    } catch (IllegalArgumentException e) {
      throw new MalformedBundleException("countersignature '" + P256Points.shorten(
          countersignature) + "' is malformed: " + e.getMessage());
    }
  }
}
