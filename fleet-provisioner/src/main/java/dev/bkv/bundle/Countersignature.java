package dev.bkv.bundle;

import dev.bkv.transparency.NoteSignature;
import dev.bkv.transparency.NoteSigner;
import dev.bkv.transparency.TransparencyException;
import dev.bkv.transparency.VerifierKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The operator's countersignature over the cosigner's signature on a bundle. It signs
 *
 * <pre>"bkv bundle countersignature v1\n" || cosigner key ID (4 bytes, big-endian) || signature</pre>
 *
 * <p>so it can never be mistaken for a note signature (a note text never starts with this line
 * followed by binary), and it binds the operator to the exact cosigner signature it saw.
 */
public final class Countersignature {

  /** The domain-separation prefix. */
  public static final String CONTEXT = "bkv bundle countersignature v1\n";

  private Countersignature() {}

  /** The bytes the operator signs for this cosigner signature. */
  public static byte[] message(NoteSignature cosigner) {
    byte[] context = CONTEXT.getBytes(StandardCharsets.US_ASCII);
    byte[] sig = cosigner.signature();
    return ByteBuffer.allocate(context.length + 4 + sig.length)
        .put(context).putInt(cosigner.keyId()).put(sig).array();
  }

  /** Countersigns with {@code operator} (for example an {@link HsmNoteSigner}). */
  public static NoteSignature sign(NoteSignature cosigner, NoteSigner operator)
      throws BundleException {
    try {
      return new NoteSignature(operator.name(), operator.keyId(), operator.sign(message(cosigner)));
    } catch (TransparencyException e) {
      throw new BundleFaultException("operator key " + operator.name() + " failed to sign: "
          + e.getMessage(), e);
    }
  }

  /** Checks that {@code counter} is the pinned operator's signature over {@code cosigner}. */
  public static void verify(NoteSignature counter, NoteSignature cosigner, VerifierKey operator)
      throws BundleRejectedException {
    if (counter == null) {
      throw new BundleRejectedException(BundleException.Reason.BAD_COUNTERSIGNATURE,
          "bundle has no operator countersignature");
    }
    if (!counter.name().equals(operator.name()) || counter.keyId() != operator.keyId()) {
      throw new BundleRejectedException(BundleException.Reason.UNKNOWN_KEY,
          "countersignature is by " + counter.keyLabel() + "; the pinned operator key is "
              + operator.name() + "+" + String.format("%08x", operator.keyId()));
    }
    if (!operator.verifier().verify(message(cosigner), counter.signature())) {
      throw new BundleRejectedException(BundleException.Reason.BAD_COUNTERSIGNATURE,
          "operator countersignature by " + counter.keyLabel()
              + " does not verify over the cosigner signature " + cosigner.keyLabel());
    }
  }
}
