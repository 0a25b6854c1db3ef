package dev.bkv.node.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CommandTest {
  private static final UserId ALICE = new UserId("alice".getBytes(StandardCharsets.UTF_8));
  private static final byte[] ID = HexFormat.of().parseHex("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf");
  private static final byte[] RESET_KEY = dev.bkv.seal.ResetKey.fromExportKey(
      dev.bkv.recovery.SecretBytes.copyOf(new byte[64])).publicKey();

  static Stream<Command> commands() {
    return Stream.of(
        new Command.Register(ALICE, 1_700_000_000_000L, 3, 10, new byte[] {1, 2, 3},
            new byte[] {4, 5}, new byte[0]),
        new Command.Register(ALICE, 2, 3, 10, new byte[] {1}, new byte[] {4}, ID),
        new Command.Replace(ALICE, 5, 42, 4, 7, new byte[200], new byte[] {9}),
        new Command.Attempt(ALICE, 6),
        new Command.Reset(ALICE, 7, 42),
        new Command.Delete(ALICE, 8, Long.MAX_VALUE),
        new Command.Attempt(ALICE, 9, new byte[32]),
        new Command.Begin(ALICE, 10, new byte[32], KeySharesTest.shares(3, 1)),
        new Command.Register(ALICE, 11, 3, 10, new byte[] {1}, new byte[] {4}, ID, 17),
        new Command.Register(ALICE, 12, 3, 10, new byte[] {1}, new byte[] {4}, new byte[0], 0),
        new Command.Replace(ALICE, 13, 42, 4, 7, new byte[20], new byte[] {9}, 18),
        new Command.Register(ALICE, 14, 3, 10, new byte[] {1}, new byte[] {4}, ID, 19,
            RESET_KEY),
        new Command.Replace(ALICE, 15, 42, 4, 7, new byte[20], new byte[] {9}, 20, RESET_KEY),
        new Command.Reset(ALICE, 16, 42, 41, new byte[70]));
  }

  @ParameterizedTest
  @MethodSource("commands")
  void roundTrips(Command c) throws Exception {
    Command back = Command.parse(c.toBytes());
    assertEquals(c.getClass(), back.getClass());
    assertArrayEquals(c.toBytes(), back.toBytes());
    assertEquals(c.userId(), back.userId());
    assertEquals(c.timeMillis(), back.timeMillis());
  }

  @Test
  void attemptHasAFixedLayout() {
    byte[] expected = HexFormat.of().parseHex("0103" + "00000005" + "616c696365"
        + "0000000000000006");
    assertArrayEquals(expected, new Command.Attempt(ALICE, 6).toBytes());
  }

  @ParameterizedTest
  @MethodSource("commands")
  void rejectsEveryTruncation(Command c) {
    byte[] full = c.toBytes();
    for (int n = 0; n < full.length; n++) {
      byte[] cut = Arrays.copyOf(full, n);
      assertThrows(MalformedMessageException.class, () -> Command.parse(cut), "length " + n);
    }
  }

  @ParameterizedTest
  @MethodSource("commands")
  void rejectsTrailingBytes(Command c) {
    byte[] full = c.toBytes();
    byte[] longer = Arrays.copyOf(full, full.length + 1);
    var e = assertThrows(MalformedMessageException.class, () -> Command.parse(longer));
    assertTrue(e.getMessage().contains("trailing"), e.getMessage());
  }

  @Test
  void rejectsUnknownVersionAndTag() {
    byte[] ok = new Command.Attempt(ALICE, 6).toBytes();
    byte[] badVersion = ok.clone();
    badVersion[0] = 2;
    var e = assertThrows(MalformedMessageException.class, () -> Command.parse(badVersion));
    assertEquals("command has version 2; expected 1", e.getMessage());
    for (int tag : List.of(0x00, 0x06, 0x11, 0xff)) {
      byte[] badTag = ok.clone();
      badTag[1] = (byte) tag;
      assertThrows(MalformedMessageException.class, () -> Command.parse(badTag), "tag " + tag);
    }
  }

  @Test
  void rejectsOutOfRangeFields() {
    byte[] reg = new Command.Register(ALICE, 1, 3, 10, new byte[] {1}, new byte[] {2}, new byte[0]).toBytes();
    // attempt limit sits after version, tag, id (4+5), time (8), epoch (8)
    int limitAt = 2 + 4 + 5 + 8 + 8;
    byte[] zeroLimit = reg.clone();
    zeroLimit[limitAt + 3] = 0;
    var e = assertThrows(MalformedMessageException.class, () -> Command.parse(zeroLimit));
    assertEquals("command attempt limit is 0; expected 1..1000", e.getMessage());
    byte[] negTime = reg.clone();
    negTime[2 + 4 + 5] = (byte) 0x80;
    assertThrows(MalformedMessageException.class, () -> Command.parse(negTime));
    byte[] emptyId = HexFormat.of().parseHex("010300000000" + "0000000000000006");
    e = assertThrows(MalformedMessageException.class, () -> Command.parse(emptyId));
    assertEquals("command user id is 0 bytes; expected 1..255", e.getMessage());
    byte[] hugeLen = HexFormat.of().parseHex("0103ffffffff");
    assertThrows(MalformedMessageException.class, () -> Command.parse(hugeLen));
    assertThrows(MalformedMessageException.class, () -> Command.parse(null));
  }

  @Test
  void constructorsRejectBadValues() {
    assertThrows(IllegalArgumentException.class, () -> new UserId(new byte[0]));
    assertThrows(IllegalArgumentException.class, () -> new UserId(new byte[256]));
    assertThrows(IllegalArgumentException.class,
        () -> new Command.Register(ALICE, 1, 1, 0, new byte[1], new byte[1], new byte[0]));
    assertThrows(IllegalArgumentException.class,
        () -> new Command.Register(ALICE, 1, 1, 10, new byte[0], new byte[1], new byte[0]));
    assertThrows(IllegalArgumentException.class, () -> new Command.Attempt(ALICE, -1));
  }

  @Test
  void outcomeRoundTripsAndRejectsBadStatus() throws Exception {
    UserRecord rec = new UserRecord(ALICE, new byte[] {1}, new byte[] {2}, 3, 10, 1, 9, 5, 6,
        new byte[0]);
    for (Outcome o : List.of(Outcome.ok(rec), Outcome.of(Outcome.Status.LOCKED))) {
      Outcome back = Outcome.parse(o.toBytes());
      assertEquals(o, back);
    }
    byte[] bad = Outcome.of(Outcome.Status.LOCKED).toBytes();
    bad[1] = 9;
    assertThrows(MalformedMessageException.class, () -> Outcome.parse(bad));
    byte[] badPresence = Outcome.of(Outcome.Status.LOCKED).toBytes();
    badPresence[2] = 2;
    assertThrows(MalformedMessageException.class, () -> Outcome.parse(badPresence));
  }

  @Test
  void userStateRoundTrips() throws Exception {
    UserRecord rec = new UserRecord(ALICE, new byte[] {1}, new byte[] {2}, 3, 10, 1, 9, 5, 6,
        new byte[0]);
    List<AuditEntry> audit = List.of(new AuditEntry(AuditEntry.Kind.ATTEMPT, 5, 3, 10));
    for (UserState s : List.of(new UserState.Present(rec, audit),
        new UserState.Locked(ALICE, 7, 1, 9, audit), new UserState.Absent())) {
      UserState back = UserState.parse(s.toBytes());
      assertEquals(s, back);
      assertInstanceOf(s.getClass(), back);
    }
  }

  @Test
  void userStateIsVersionOneUnlessItKeepsADeletedTrail() throws Exception {
    UserRecord rec = new UserRecord(ALICE, new byte[] {1}, new byte[] {2}, 3, 10, 1, 9, 5, 6,
        new byte[0]);
    List<AuditEntry> plain = List.of(new AuditEntry(AuditEntry.Kind.LOCKOUT, 5, 11, 10));
    List<AuditEntry> deleted = List.of(new AuditEntry(AuditEntry.Kind.LOCKOUT, 5, 11, 10),
        new AuditEntry(AuditEntry.Kind.DELETE, 8, 0, 10));
    assertEquals(1, new UserState.Present(rec, plain).toBytes()[0]);
    assertEquals(1, new UserState.Locked(ALICE, 7, 1, 9, plain).toBytes()[0]);
    assertEquals(1, new UserState.Absent().toBytes()[0]);
    for (UserState s : List.of(new UserState.Absent(deleted), new UserState.Absent(plain),
        new UserState.Present(rec, deleted))) {
      assertEquals(2, s.toBytes()[0], s.toString());
      assertEquals(s, UserState.parse(s.toBytes()));
    }
    byte[] v1Deleted = new UserState.Present(rec, deleted).toBytes();
    v1Deleted[0] = 1;
    assertEquals("user state version 1 has a DELETE audit entry; expected version 2",
        assertThrows(MalformedMessageException.class, () -> UserState.parse(v1Deleted))
            .getMessage());
    byte[] v1Absent = new UserState.Absent(plain).toBytes();
    v1Absent[0] = 1;
    assertThrows(MalformedMessageException.class, () -> UserState.parse(v1Absent));
    byte[] v3 = new UserState.Absent().toBytes();
    v3[0] = 3;
    assertEquals("user state has version 3; expected 1..2",
        assertThrows(MalformedMessageException.class, () -> UserState.parse(v3)).getMessage());
  }

  @Test
  void aVersionOneStateWrittenBeforeDeleteKeptTrailsStillParses() throws Exception {
    // Locked tombstone as version 1 wrote it: 01 ‖ 02 ‖ u32 5 "alice" ‖ lockedAt 7 ‖ epoch 1 ‖
    // generation 9 ‖ u32 1 ‖ LOCKOUT(4) ‖ time 5 ‖ used 11 ‖ limit 10.
    byte[] v1 = HexFormat.of().parseHex("0102" + "00000005" + "616c696365"
        + "0000000000000007" + "0000000000000001" + "0000000000000009" + "00000001"
        + "04" + "0000000000000005" + "0000000b" + "0000000a");
    UserState s = UserState.parse(v1);
    assertEquals(new UserState.Locked(ALICE, 7, 1, 9,
        List.of(new AuditEntry(AuditEntry.Kind.LOCKOUT, 5, 11, 10))), s);
    assertArrayEquals(v1, s.toBytes(), "an unchanged state keeps its version-1 bytes");
    byte[] kind8 = v1.clone();
    kind8[v1.length - 17] = 8;
    assertEquals("audit entry kind is 8; expected 1..7",
        assertThrows(MalformedMessageException.class, () -> UserState.parse(kind8))
            .getMessage());
  }

  @Test
  void registerCarriesItsRegistrationIdOnlyUnderItsOwnTag() throws Exception {
    byte[] without = new Command.Register(ALICE, 1, 3, 10, new byte[] {1}, new byte[] {2},
        new byte[0]).toBytes();
    byte[] with = new Command.Register(ALICE, 1, 3, 10, new byte[] {1}, new byte[] {2}, ID)
        .toBytes();
    assertEquals(0x01, without[1]);
    assertEquals(0x06, with[1]);
    assertEquals(without.length + 4 + 16, with.length);
    assertArrayEquals(ID, ((Command.Register) Command.parse(with)).registrationId());
    assertArrayEquals(new byte[0], ((Command.Register) Command.parse(without)).registrationId());
    byte[] wrongTag = without.clone();
    wrongTag[1] = 0x06;
    assertThrows(MalformedMessageException.class, () -> Command.parse(wrongTag));
    byte[] shortId = Arrays.copyOf(without, without.length + 4 + 15);
    shortId[1] = 0x06;
    shortId[without.length + 3] = 15;
    MalformedMessageException e = assertThrows(MalformedMessageException.class,
        () -> Command.parse(shortId));
    assertEquals("command registration id is 15 bytes; expected 16..16", e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new Command.Register(ALICE, 1, 1, 10, new byte[1], new byte[1], new byte[8]));
  }

  @Test
  void userRecordIsVersionOneWithoutARegistrationIdAndTwoWithOne() throws Exception {
    UserRecord without = new UserRecord(ALICE, new byte[] {1}, new byte[] {2}, 3, 10, 1, 9, 5, 6,
        new byte[0]);
    UserRecord with = new UserRecord(ALICE, new byte[] {1}, new byte[] {2}, 3, 10, 1, 9, 5, 6,
        ID);
    assertEquals(1, without.toBytes()[0]);
    assertEquals(2, with.toBytes()[0]);
    assertEquals(without, UserRecord.parse(without.toBytes()));
    assertEquals(with, UserRecord.parse(with.toBytes()));
    assertTrue(with.writtenBy(ID));
    assertFalse(without.writtenBy(ID));
    assertFalse(without.writtenBy(new byte[0]), "an empty id never matches");
    byte[] v4 = with.toBytes();
    v4[0] = 4;
    assertEquals("user record has version 4; expected 1..3",
        assertThrows(MalformedMessageException.class, () -> UserRecord.parse(v4)).getMessage());
    // Version 3 (key shares, attempt fields) only when there is something to say in them.
    UserRecord shared = new UserRecord(ALICE, new byte[] {1}, new byte[] {2}, 3, 10, 1, 9, 5, 6,
        new byte[0], new KeyState(KeySharesTest.shares(3, 1), RESET_KEY,
            java.util.List.of(new KeyState.Attempt(8, new byte[32])), 4));
    assertEquals(3, shared.toBytes()[0]);
    assertEquals(shared, UserRecord.parse(shared.toBytes()));
    // Version 3 with an empty key state would parse to a record written as version 2: refused.
    UserRecord plain = new UserRecord(ALICE, new byte[] {1}, new byte[] {2}, 3, 10, 1, 9, 5, 6,
        ID);
    byte[] v2 = plain.toBytes();
    byte[] v3 = java.util.Arrays.copyOf(v2, v2.length + 4 + 4 + 4 + 4);
    v3[0] = 3; // same fields, then shares (0), reset key (0 B), attempts (0), lifetime (0)
    assertEquals("user record version 3 has an empty key state; expected version 1 or 2 for it",
        assertThrows(MalformedMessageException.class, () -> UserRecord.parse(v3)).getMessage());
  }
}
