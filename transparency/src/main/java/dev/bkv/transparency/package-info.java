/**
 * Transparency formats of bkv, implemented exactly as their public specifications say.
 *
 * <ul>
 *   <li><b>C2SP signed-note</b>: {@link dev.bkv.transparency.Note} (syntax),
 *       {@link dev.bkv.transparency.SignedNotes} (sign / open with Go sumdb/note rules),
 *       {@link dev.bkv.transparency.NoteSigner} and {@link dev.bkv.transparency.NoteVerifier}
 *       (keys; HSM keys implement {@code NoteSigner}), {@link dev.bkv.transparency.VerifierKey}
 *       ({@code name+keyid+base64} strings), Ed25519 (type 0x01) and ECDSA P-256 (type 0x02).
 *   <li><b>RFC 6962 Merkle trees</b>: {@link dev.bkv.transparency.Rfc6962} (hashing),
 *       {@link dev.bkv.transparency.MerkleTree} (in memory),
 *       {@link dev.bkv.transparency.MerkleProofs} (RFC 9162 verification).
 *   <li><b>C2SP tlog-checkpoint</b>: {@link dev.bkv.transparency.Checkpoint}.
 *   <li><b>C2SP tlog-tiles</b>: {@link dev.bkv.transparency.TileLogWriter} (crash-safe appends
 *       to a directory) and {@link dev.bkv.transparency.TileLogReader} (proofs from tiles), both
 *       writing through {@link dev.bkv.transparency.DurableFiles} (crash-safe file replacement,
 *       which the bundle client state and the cosigner use too).
 * </ul>
 *
 * <p>Every checked error extends {@link dev.bkv.transparency.TransparencyException}; see
 * {@code transparency/docs/transparency.md} for the formats and how to verify them by hand.
 */
package dev.bkv.transparency;
