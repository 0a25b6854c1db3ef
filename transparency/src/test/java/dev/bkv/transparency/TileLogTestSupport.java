package dev.bkv.transparency;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/** Shared fixtures for the tiled log tests. */
final class TileLogTestSupport {

  static final String ORIGIN = "cosigner.bkv.test/log";

  final Ed25519NoteSigner signer;
  final NoteVerifier verifier;

  TileLogTestSupport() throws MalformedInputException {
    signer = Ed25519NoteSigner.fromSeed(ORIGIN, new byte[32]);
    verifier = signer.verifierKey().verifier();
  }

  TileLogWriter open(Path dir) throws TransparencyException {
    return TileLogWriter.open(dir, ORIGIN, signer, verifier);
  }

  TileLogReader read(Path dir) throws TransparencyException {
    return TileLogReader.open(dir, ORIGIN, List.of(verifier));
  }

  static List<byte[]> entries(String tag, long from, int count) {
    List<byte[]> out = new ArrayList<>();
    for (long i = from; i < from + count; i++) {
      out.add((tag + " entry " + i).getBytes(StandardCharsets.UTF_8));
    }
    return out;
  }

  static List<byte[]> randomEntries(SecureRandom random, int count) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] e = new byte[random.nextInt(40)];
      random.nextBytes(e);
      out.add(e);
    }
    return out;
  }

  private TileLogTestSupport(int unused) {
    throw new AssertionError();
  }
}
