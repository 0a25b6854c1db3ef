package dev.bkv.transparency;

/**
 * One trusted public key for note signatures, identified by name and key ID.
 *
 * <p>Contract: {@link #verify(byte[], byte[])} returns true only for a valid signature by this
 * key over exactly {@code message}; it never throws for malformed signatures, it returns false.
 * Obtain instances from {@link VerifierKey#verifier()}.
 */
public interface NoteVerifier {

  String name();

  int keyId();

  boolean verify(byte[] message, byte[] signature);
}
