package dev.bkv.transparency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NoteKeyFilesTest {

  @TempDir
  Path dir;

  @Test
  void keyFileRoundTripsWithOwnerOnlyPermissions() throws Exception {
    Ed25519NoteSigner signer = Ed25519NoteSigner.generate("cosigner.example", new SecureRandom());
    Path file = dir.resolve("cosigner.key");
    NoteKeyFiles.write(file, signer);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(new String(signer.toSignerKey()) + "\n", Files.readString(file));
    Ed25519NoteSigner read = NoteKeyFiles.read(file);
    assertEquals(signer.verifierKey(), read.verifierKey());
    assertThrows(TransparencyFaultException.class, () -> NoteKeyFiles.write(file, signer));
  }

  @Test
  void readableByOthersOrMalformedIsRefused() throws Exception {
    Path file = dir.resolve("k");
    NoteKeyFiles.write(file, Ed25519NoteSigner.generate("x", new SecureRandom()));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertThrows(TransparencyFaultException.class, () -> NoteKeyFiles.read(file));
    Path bad = dir.resolve("bad");
    Files.writeString(bad, "PRIVATE+KEY+x+00000000+AAAA\n");
    Files.setPosixFilePermissions(bad, PosixFilePermissions.fromString("rw-------"));
    MalformedInputException e = assertThrows(MalformedInputException.class, () -> NoteKeyFiles.read(bad));
    assertEquals(MalformedInputException.Problem.BAD_KEY, e.problem());
  }
}
