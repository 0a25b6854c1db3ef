package dev.bkv.node.raft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.node.store.Command;
import dev.bkv.node.store.MalformedMessageException;
import dev.bkv.node.store.UserId;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import org.apache.ratis.protocol.RaftGroupId;
import org.junit.jupiter.api.Test;

/** The signed-command envelope: round trip, every truncation, bad fields, trailing bytes. */
class CommandEnvelopeTest {
  private static final byte[] COMMAND = new Command.Attempt(
      new UserId("carol".getBytes(StandardCharsets.UTF_8)), 42).toBytes();
  private static final byte[] SIG = new byte[71];

  static {
    Arrays.fill(SIG, (byte) 0x30);
  }

  @Test
  void roundTrips() throws Exception {
    CommandEnvelope e = new CommandEnvelope("m1", SIG, COMMAND);
    byte[] wire = e.toBytes();
    assertEquals(0x81, wire[0] & 0xff);
    assertEquals(1 + 4 + 2 + 4 + SIG.length + 4 + COMMAND.length, wire.length);
    CommandEnvelope back = CommandEnvelope.parse(wire);
    assertEquals("m1", back.memberId());
    assertArrayEquals(SIG, back.signature());
    assertArrayEquals(COMMAND, back.command());
  }

  @Test
  void everyTruncationIsRefused() {
    byte[] wire = new CommandEnvelope("m1", SIG, COMMAND).toBytes();
    for (int n = 0; n < wire.length; n++) {
      byte[] cut = Arrays.copyOf(wire, n);
      MalformedMessageException e = assertThrows(MalformedMessageException.class,
          () -> CommandEnvelope.parse(cut), "truncated to " + n);
      assertTrue(e.getMessage().startsWith("signed command "), e.getMessage());
    }
  }

  @Test
  void refusesBadVersionFieldsAndTrailingBytes() {
    byte[] wire = new CommandEnvelope("m1", SIG, COMMAND).toBytes();
    assertMessage("signed command has version 1; expected 129", COMMAND);
    byte[] v2 = wire.clone();
    v2[0] = (byte) 0x82;
    assertMessage("signed command has version 130; expected 129", v2);
    byte[] trailing = Arrays.copyOf(wire, wire.length + 1);
    assertMessage("signed command has 1 trailing bytes", trailing);
    byte[] badId = wire.clone();
    badId[5] = ' ';
    assertMessage("signed command member id is ' 1'", badId);
    byte[] noId = new byte[] {(byte) 0x81, 0, 0, 0, 0};
    assertMessage("signed command member id is 0 bytes; expected 1..64", noId);
    byte[] shortSig = new CommandEnvelope("m1", new byte[8], COMMAND).toBytes();
    shortSig[10] = 7; // signature length 8 -> 7
    assertMessage("signed command signature is 7 bytes; expected 8..80", shortSig);
  }

  @Test
  void signedMessageBindsGroupMemberAndCommand() {
    RaftGroupId g = RaftGroupId.valueOf(UUID.randomUUID());
    byte[] m = CommandEnvelope.signedMessage(g, "m1", COMMAND);
    assertFalse(Arrays.equals(m, CommandEnvelope.signedMessage(
        RaftGroupId.valueOf(UUID.randomUUID()), "m1", COMMAND)));
    assertFalse(Arrays.equals(m, CommandEnvelope.signedMessage(g, "m2", COMMAND)));
    assertFalse(Arrays.equals(m, CommandEnvelope.signedMessage(g, "m1",
        Arrays.copyOf(COMMAND, COMMAND.length + 1))));
    assertTrue(new String(m, StandardCharsets.US_ASCII).contains(CommandEnvelope.DOMAIN));
  }

  @Test
  void constructorRefusesOutOfRangeFields() {
    assertThrows(IllegalArgumentException.class, () -> new CommandEnvelope("", SIG, COMMAND));
    assertThrows(IllegalArgumentException.class, () -> new CommandEnvelope("m1", new byte[7],
        COMMAND));
    assertThrows(IllegalArgumentException.class, () -> new CommandEnvelope("m1", SIG,
        new byte[0]));
  }

  private static void assertMessage(String expected, byte[] wire) {
    MalformedMessageException e = assertThrows(MalformedMessageException.class,
        () -> CommandEnvelope.parse(wire));
    assertTrue(e.getMessage().startsWith(expected), e.getMessage());
  }
}
