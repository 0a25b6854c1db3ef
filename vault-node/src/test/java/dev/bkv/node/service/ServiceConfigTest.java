package dev.bkv.node.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.node.raft.ConfigException;
import dev.bkv.node.raft.NodeConfig;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ServiceConfigTest {
  private static Properties base() {
    Properties p = new Properties();
    p.setProperty("pkcs11.module", "/x.so");
    p.setProperty("node.id", "m1");
    p.setProperty("node.peers", "m1=127.0.0.1:9000");
    p.setProperty("node.data-dir", "/tmp/d");
    p.setProperty("node.listen", "127.0.0.1:9100");
    p.setProperty("node.fleet-id", "dev");
    p.setProperty("node.tls.cert", "/c.pem");
    p.setProperty("node.tls.key", "/k.pem");
    p.setProperty("node.raft.roster", "/roster.json");
    p.setProperty("node.raft.tls.cert", "/m1-raft.pem");
    p.setProperty("node.raft.tls.key", "/m1-raft-key.pem");
    return p;
  }

  @Test
  void parsesDefaultsAndLeavesReplicationKeysToNodeConfig() throws Exception {
    ServiceConfig c = ServiceConfig.parse(base());
    assertEquals("127.0.0.1", c.listenHost());
    assertEquals(9100, c.listenPort());
    assertEquals(1, c.epoch());
    assertEquals(10, c.attemptLimit());
    assertEquals("bkv/v1", c.opaqueContext());
    assertFalse(c.plaintext());
    assertEquals(Path.of("/c.pem"), c.tlsCert());
    Properties rest = ServiceConfig.replicationOnly(base());
    assertFalse(rest.containsKey("node.listen"));
    assertTrue(rest.containsKey("pkcs11.module"));
    assertEquals("m1", NodeConfig.parse(rest).memberId()); // no unknown-key error
    assertEquals(Path.of("/m1-raft.pem"), NodeConfig.parse(rest).raftTls().cert());
  }

  @Test
  void tlsIsTheDefaultAndPlaintextMustBeExplicit() throws Exception {
    Properties p = base();
    p.remove("node.tls.cert");
    ConfigException e = assertThrows(ConfigException.class, () -> ServiceConfig.parse(p));
    assertTrue(e.getMessage().contains("node.plaintext = true"), e.getMessage());
    p.setProperty("node.plaintext", "true");
    assertTrue(ServiceConfig.parse(p).plaintext());
    p.setProperty("node.plaintext", "yes");
    assertThrows(ConfigException.class, () -> ServiceConfig.parse(p));
  }

  @Test
  void badValuesAreNamed() {
    Properties p = base();
    p.setProperty("node.attempt-limit", "0");
    assertTrue(assertThrows(ConfigException.class, () -> ServiceConfig.parse(p)).getMessage()
        .contains("node.attempt-limit is 0"));
    Properties q = base();
    q.setProperty("node.listen", "9100");
    assertTrue(assertThrows(ConfigException.class, () -> ServiceConfig.parse(q)).getMessage()
        .contains("expected host:port"));
    Properties r = base();
    r.setProperty("node.fleet-id", "a/b");
    assertThrows(ConfigException.class, () -> ServiceConfig.parse(r));
  }

  @Test
  void perUserEvaluationCountsAreOffUnlessTurnedOn() throws Exception {
    assertFalse(ServiceConfig.parse(base()).statusUserEvaluations());
    Properties p = base();
    p.setProperty("node.status.user-evaluations", "true");
    assertTrue(ServiceConfig.parse(p).statusUserEvaluations());
    assertFalse(ServiceConfig.replicationOnly(p).containsKey("node.status.user-evaluations"));
    p.setProperty("node.status.user-evaluations", "on");
    assertEquals("node.status.user-evaluations is 'on'; expected true or false",
        assertThrows(ConfigException.class, () -> ServiceConfig.parse(p)).getMessage());
  }
}
