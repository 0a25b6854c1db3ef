package dev.bkv.evidence;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** PAE exactly as the DSSE v1 protocol text defines it. */
class DsseTest {
  @Test
  void paeMatchesTheSpecExample() {
    // DSSE protocol.md: PAE("http://example.com/HelloWorld", "hello world")
    byte[] pae = Dsse.pae("http://example.com/HelloWorld", "hello world".getBytes(StandardCharsets.UTF_8));
    assertEquals("DSSEv1 29 http://example.com/HelloWorld 11 hello world",
        new String(pae, StandardCharsets.UTF_8));
  }

  @Test
  void lengthsCountBytesNotCharacters() {
    byte[] body = "é".getBytes(StandardCharsets.UTF_8);
    assertEquals("DSSEv1 4 t/é 2 é", new String(Dsse.pae("t/é", body), StandardCharsets.UTF_8));
    assertEquals("DSSEv1 0  0 ", new String(Dsse.pae("", new byte[0]), StandardCharsets.UTF_8));
  }
}
