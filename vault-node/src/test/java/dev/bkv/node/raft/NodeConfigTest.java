package dev.bkv.node.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class NodeConfigTest {
  private static Properties props(String text) throws Exception {
    Properties p = new Properties();
    p.load(new StringReader(text));
    return p;
  }

  @Test
  void parsesMemberConfigAndIgnoresOtherModulesKeys() throws Exception {
    NodeConfig c = NodeConfig.parse(props("""
        pkcs11.library=/usr/lib/softhsm/libsofthsm2.so
        node.id=m2
        node.peers=m1=10.0.0.1:7001, m2=10.0.0.2:7002,m3=host-3:7003
        node.data-dir=/var/lib/bkv
        node.shards=8
        node.snapshot.threshold=500
        node.raft.server.log.segment.size.max=1MB
        node.raft.roster=/etc/bkv/roster.json
        node.raft.tls.cert=/etc/bkv/m2-raft.pem
        node.raft.tls.key=/etc/bkv/m2-raft-key.pem
        """));
    assertEquals("m2", c.memberId());
    assertEquals(List.of(new Peer("m1", "10.0.0.1", 7001), new Peer("m2", "10.0.0.2", 7002),
        new Peer("m3", "host-3", 7003)), c.peers());
    assertEquals(new Peer("m2", "10.0.0.2", 7002), c.self());
    assertEquals(Path.of("/var/lib/bkv"), c.dataDir());
    assertEquals(8, c.shards());
    assertEquals(500, c.snapshotThreshold());
    assertEquals(1000, c.electionMinMs());
    assertEquals(2000, c.electionMaxMs());
    assertEquals(1000, c.requestTimeoutMs());
    assertEquals(Map.of("raft.server.log.segment.size.max", "1MB"), c.raftOverrides());
    assertEquals(new RaftTlsFiles(Path.of("/etc/bkv/roster.json"),
        Path.of("/etc/bkv/m2-raft.pem"), Path.of("/etc/bkv/m2-raft-key.pem")), c.raftTls());
  }

  @Test
  void clientConfigNeedsOnlyPeersWhenPlaintextIsExplicit() throws Exception {
    NodeConfig c = NodeConfig.parse(props("node.peers=a=127.0.0.1:1\nnode.raft.plaintext=true"));
    assertNull(c.memberId());
    assertNull(c.raftTls());
    assertEquals(1, c.shards());
    assertThrows(IllegalStateException.class, c::self);
    assertEquals(Map.of(), c.raftOverrides(), "bkv's node.raft keys are not passed to Ratis");
  }

  @Test
  void raftTlsIsMandatoryUnlessPlaintextIsExplicit() throws Exception {
    assertRaw("Raft runs over mutual TLS between members: set node.raft.roster, "
        + "node.raft.tls.cert, node.raft.tls.key (or node.raft.plaintext = true explicitly)",
        "node.peers=a=h:1");
    assertRaw("set node.raft.tls.key (or", "node.peers=a=h:1\nnode.raft.roster=r\n"
        + "node.raft.tls.cert=c");
    assertRaw("set node.raft.roster, node.raft.tls.cert (or", "node.peers=a=h:1\n"
        + "node.raft.tls.key=k\nnode.raft.plaintext=false");
    assertRaw("node.raft.plaintext = true, but node.raft.roster / node.raft.tls.* are set too",
        "node.peers=a=h:1\nnode.raft.plaintext=true\nnode.raft.roster=r");
    assertRaw("node.raft.plaintext is 'yes'; expected true or false",
        "node.peers=a=h:1\nnode.raft.plaintext=yes");
  }

  @Test
  void rejectsBadConfigWithTheKeyNamed() throws Exception {
    assertMessage("config key node.peers is missing", "node.id=m1\n");
    assertMessage("unknown config key node.shard; known keys", "node.peers=a=h:1\nnode.shard=2");
    assertMessage("node.shards is 'two'; expected an integer", "node.peers=a=h:1\nnode.shards=two");
    assertMessage("node.shards is 0; expected 1..256", "node.peers=a=h:1\nnode.shards=0");
    assertMessage("node.id 'm9' is not in node.peers", "node.peers=a=h:1\nnode.id=m9");
    assertMessage("node.peers entry 'a=h'; expected id=host:port", "node.peers=a=h");
    assertMessage("node.peers entry 'a=h:x' has a bad port", "node.peers=a=h:x");
    assertMessage("port is 70000", "node.peers=a=h:70000");
    assertMessage("member id is 'a b'", "node.peers=a b=h:1");
    assertMessage("lists a member id twice", "node.peers=a=h:1,a=h:2");
    assertMessage("election timeout 300..300 ms",
        "node.peers=a=h:1\nnode.election.min-ms=300\nnode.election.max-ms=300");
  }

  /** Checks the error for {@code text} in plaintext mode (so only the other keys are wrong). */
  private static void assertMessage(String expected, String text) throws Exception {
    assertRaw(expected, text + "\nnode.raft.plaintext=true");
  }

  private static void assertRaw(String expected, String text) throws Exception {
    Properties p = props(text);
    ConfigException e = assertThrows(ConfigException.class, () -> NodeConfig.parse(p));
    if (!e.getMessage().contains(expected)) {
      throw new AssertionError("message '" + e.getMessage() + "' lacks '" + expected + "'");
    }
  }
}
