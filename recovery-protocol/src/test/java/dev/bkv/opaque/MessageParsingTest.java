package dev.bkv.opaque;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.recovery.BadInputException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every message parser: exact lengths, valid points, typed errors naming the problem. */
class MessageParsingTest {
  private final OpaqueVectors.Case v = OpaqueVectors.real().get(0);

  @Test
  void vectorsRoundTripThroughParsers() throws Exception {
    assertArrayEquals(v.out("registration_request"),
        RegistrationRequest.parse(v.out("registration_request")).toBytes());
    assertArrayEquals(v.out("registration_response"),
        RegistrationResponse.parse(v.out("registration_response")).toBytes());
    assertArrayEquals(v.out("registration_upload"),
        RegistrationRecord.parse(v.out("registration_upload")).toBytes());
    assertArrayEquals(v.out("KE1"), Ke1.parse(v.out("KE1")).toBytes());
    assertArrayEquals(v.out("KE2"), Ke2.parse(v.out("KE2")).toBytes());
    assertArrayEquals(v.out("KE3"), Ke3.parse(v.out("KE3")).toBytes());
    assertEquals(33, RegistrationRequest.LENGTH);
    assertEquals(66, RegistrationResponse.LENGTH);
    assertEquals(129, RegistrationRecord.LENGTH);
    assertEquals(98, Ke1.LENGTH);
    assertEquals(259, Ke2.LENGTH);
    assertEquals(32, Ke3.LENGTH);
  }

  @Test
  void lengthErrorsNameTheMessage() {
    BadInputException e = assertThrows(BadInputException.class, () -> Ke1.parse(new byte[97]));
    assertEquals("KE1 is 97 bytes; expected 98", e.getMessage());
    e = assertThrows(BadInputException.class, () -> Ke2.parse(new byte[260]));
    assertEquals("KE2 is 260 bytes; expected 259", e.getMessage());
    e = assertThrows(BadInputException.class, () -> Ke3.parse(new byte[31]));
    assertEquals("KE3 is 31 bytes; expected 32", e.getMessage());
  }

  @Test
  void pointErrorsNameTheField() {
    byte[] ke1 = v.out("KE1");
    ke1[65] = 0x05;
    BadInputException e = assertThrows(BadInputException.class, () -> Ke1.parse(ke1));
    assertTrue(e.getMessage().startsWith("KE1 client keyshare: point prefix 0x05"),
        e.getMessage());
  }

  interface Parser {
    Object parse(byte[] b) throws Exception;
  }

  record Msg(String name, byte[] valid, Parser parser, int[] pointOffsets) {}

  @Test
  void everyParserRejectsEveryCorruption() throws Exception {
    List<Msg> msgs = List.of(
        new Msg("RegistrationRequest", v.out("registration_request"),
            RegistrationRequest::parse, new int[] {0}),
        new Msg("RegistrationResponse", v.out("registration_response"),
            RegistrationResponse::parse, new int[] {0, 33}),
        new Msg("RegistrationRecord", v.out("registration_upload"), RegistrationRecord::parse,
            new int[] {0}),
        new Msg("KE1", v.out("KE1"), Ke1::parse, new int[] {0, 65}),
        new Msg("KE2", v.out("KE2"), Ke2::parse, new int[] {0, 194}),
        new Msg("KE3", v.out("KE3"), Ke3::parse, new int[] {}));
    int rejected = 0;
    for (Msg m : msgs) {
      List<byte[]> bad = new ArrayList<>(MessageCorruptions.wrongLengths(m.valid));
      bad.add(null);
      for (int off : m.pointOffsets) {
        bad.addAll(MessageCorruptions.withBadPointAt(m.valid, off));
      }
      for (byte[] b : bad) {
        assertThrows(BadInputException.class, () -> m.parser.parse(b), m.name);
        rejected++;
      }
      m.parser.parse(m.valid);
    }
    assertTrue(rejected > 100, "rejected " + rejected);
  }
}
