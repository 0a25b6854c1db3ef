package dev.bkv.node.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.node.store.UserId;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShardsTest {
  private static final List<Peer> PEERS = List.of(new Peer("m1", "127.0.0.1", 7001),
      new Peer("m2", "127.0.0.1", 7002));

  private static UserId user(String s) {
    return new UserId(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void shardIsFirstEightBytesOfSha256ModCount() {
    // SHA-256("abc") starts ba7816bf8f01cfea (FIPS 180-2 example); as an unsigned integer it
    // is 2 mod 7 and 234 mod 256 (a signed reading would give other values)
    assertEquals(2, Shards.shardOf(user("abc"), 7));
    assertEquals(234, Shards.shardOf(user("abc"), 256));
    assertEquals(0, Shards.shardOf(user("abc"), 1));
  }

  @Test
  void usersSpreadOverAllShards() {
    int[] counts = new int[4];
    for (int i = 0; i < 4000; i++) {
      counts[Shards.shardOf(user("u" + i), 4)]++;
    }
    for (int c : counts) {
      assertTrue(c > 850 && c < 1150, "uneven spread " + java.util.Arrays.toString(counts));
    }
  }

  @Test
  void groupIdsAreStablePerIndexAndCount() {
    Shards a = new Shards(4, PEERS);
    Shards b = new Shards(4, PEERS);
    assertEquals(a.group(2).getGroupId(), b.group(2).getGroupId());
    assertNotEquals(a.group(1).getGroupId(), a.group(2).getGroupId());
    assertNotEquals(Shards.groupId(0, 4), Shards.groupId(0, 5));
    assertEquals(2, a.group(3).getPeers().size());
    assertThrows(IllegalArgumentException.class, () -> new Shards(0, PEERS));
  }
}
