package dev.bkv.cli.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.bkv.node.ops.PrometheusText;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@code bkv node status --metrics} shows of a member's Raft state. */
class KeyFiguresTest {
  private static final String LEADER = """
      bkv_raft_role{member="m1",role="leader",shard="0"} 1.0
      bkv_raft_role{member="m1",role="follower",shard="0"} 0.0
      bkv_raft_rejoining{member="m1",shard="0"} 0.0
      bkv_raft_term{member="m1",shard="0"} 3.0
      bkv_raft_commit_index{member="m1",shard="0"} 120.0
      bkv_raft_applied_index{member="m1",shard="0"} 120.0
      bkv_raft_snapshot_index{member="m1",shard="0"} 100.0
      bkv_raft_snapshot_age_seconds{member="m1",shard="0"} 12.4
      bkv_raft_peer_match_index{member="m1",peer="m1",shard="0"} NaN
      bkv_raft_peer_match_index{member="m1",peer="m2",shard="0"} 120.0
      bkv_raft_peer_match_index{member="m1",peer="m3",shard="0"} -1.0
      bkv_raft_peer_lag{member="m1",peer="m1",shard="0"} NaN
      bkv_raft_peer_lag{member="m1",peer="m2",shard="0"} 0.0
      bkv_raft_peer_lag{member="m1",peer="m3",shard="0"} 121.0
      """;

  @Test
  @SuppressWarnings("unchecked")
  void theLeaderShowsEachPeersMatchIndexAndLag() throws Exception {
    Map<String, Object> f = (Map<String, Object>) ((Map<String, Object>) KeyFigures.figures(
        PrometheusText.parse(LEADER)).get("shards")).get("0");
    assertEquals("leader", f.get("role"));
    assertEquals(3L, f.get("term"));
    assertEquals(120L, f.get("commitIndex"));
    assertEquals(120L, f.get("appliedIndex"));
    assertEquals(100L, f.get("snapshotIndex"));
    assertEquals(121L, f.get("maxPeerLag"));
    assertFalse(f.containsKey("rejoining"));
    assertEquals(Map.of("m2", Map.of("matchIndex", 120L, "lag", 0L),
        "m3", Map.of("matchIndex", -1L, "lag", 121L)), f.get("peers"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void aRejoiningFollowerSaysSoAndHasNoPeerFigures() throws Exception {
    String follower = """
        bkv_raft_role{member="m3",role="follower",shard="0"} 1.0
        bkv_raft_rejoining{member="m3",shard="0"} 1.0
        bkv_raft_term{member="m3",shard="0"} 3.0
        bkv_raft_commit_index{member="m3",shard="0"} -1.0
        bkv_raft_applied_index{member="m3",shard="0"} -1.0
        bkv_raft_peer_match_index{member="m3",peer="m1",shard="0"} NaN
        bkv_raft_peer_lag{member="m3",peer="m1",shard="0"} NaN
        """;
    Map<String, Object> f = (Map<String, Object>) ((Map<String, Object>) KeyFigures.figures(
        PrometheusText.parse(follower)).get("shards")).get("0");
    assertEquals("follower", f.get("role"));
    assertEquals(true, f.get("rejoining"));
    assertFalse(f.containsKey("peers"));
    assertFalse(f.containsKey("maxPeerLag"));
  }
}
