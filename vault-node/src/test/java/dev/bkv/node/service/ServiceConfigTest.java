package dev.bkv.node.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.node.raft.ConfigException;
import dev.bkv.node.raft.NodeConfig;
import java.nio.file.Path;
import java.time.Duration;
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
    p.setProperty("node.tenant.keys", "/tenant-keys.json");
    p.setProperty("node.raft.roster", "/roster.json");
    p.setProperty("node.raft.tls.cert", "/m1-raft.pem");
    p.setProperty("node.raft.tls.key", "/m1-raft-key.pem");
    return p;
  }

  @Test
  void operationsKeysAreKnownAndNeverReachNodeConfig() throws Exception {
    Properties p = base();
    p.setProperty("node.metrics.listen", "127.0.0.1:9464");
    p.setProperty("node.log.format", "json");
    p.setProperty("node.health.interval-ms", "1000");
    ServiceConfig.parse(p);
    Properties rest = ServiceConfig.replicationOnly(p);
    assertFalse(rest.containsKey("node.metrics.listen"));
    assertEquals("m1", NodeConfig.parse(rest).memberId()); // no unknown-key error
    p.setProperty("node.metrics.listne", "127.0.0.1:9464");
    org.junit.jupiter.api.Assertions.assertThrows(dev.bkv.node.raft.ConfigException.class,
        () -> NodeConfig.parse(ServiceConfig.replicationOnly(p)));
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

  @Test
  void aMemberWithoutTenantKeysRefusesToStart() {
    Properties p = base();
    p.remove("node.tenant.keys");
    String message = assertThrows(ConfigException.class, () -> ServiceConfig.parse(p))
        .getMessage();
    assertTrue(message.startsWith("config key node.tenant.keys is missing: set it to the JWK Set "
        + "file of the app backend's public keys"), message);
  }

  @Test
  void tenantDefaultsAndOverrides() throws Exception {
    ServiceConfig c = ServiceConfig.parse(base());
    assertEquals(Path.of("/tenant-keys.json"), c.tenant().keys());
    assertEquals("dev", c.tenant().audience()); // the fleet id
    assertEquals(Duration.ofSeconds(600), c.tenant().maxTtl());
    assertEquals(60, c.tenant().userPerMinute());
    assertEquals(20, c.tenant().userBurst());
    Properties p = base();
    p.setProperty("node.tenant.audience", "chat.example");
    p.setProperty("node.tenant.max-ttl-s", "120");
    p.setProperty("node.rate.user-per-minute", "6");
    p.setProperty("node.rate.user-burst", "3");
    ServiceConfig d = ServiceConfig.parse(p);
    assertEquals("chat.example", d.tenant().audience());
    assertEquals(Duration.ofSeconds(120), d.tenant().maxTtl());
    assertEquals(6, d.tenant().userPerMinute());
    assertEquals(3, d.tenant().userBurst());
    Properties rest = ServiceConfig.replicationOnly(p);
    for (String key : new String[] {"node.tenant.keys", "node.tenant.audience",
        "node.tenant.max-ttl-s", "node.rate.user-per-minute", "node.rate.user-burst"}) {
      assertFalse(rest.containsKey(key), key);
    }
    assertEquals("m1", NodeConfig.parse(rest).memberId()); // no unknown-key error
  }

  @Test
  void badTenantValuesAreNamed() {
    String[][] cases = {
      {"node.tenant.max-ttl-s", "0", "node.tenant.max-ttl-s is 0; expected 1..86400"},
      {"node.tenant.max-ttl-s", "ten", "node.tenant.max-ttl-s is 'ten'; expected a whole number"},
      {"node.rate.user-per-minute", "0", "node.rate.user-per-minute is 0; expected 1..60000"},
      {"node.rate.user-burst", "-1", "node.rate.user-burst is '-1'; expected a whole number"},
      {"node.rate.user-burst", "20000", "node.rate.user-burst is 20000; expected 1..10000"},
    };
    for (String[] c : cases) {
      Properties p = base();
      p.setProperty(c[0], c[1]);
      assertEquals(c[2], assertThrows(ConfigException.class, () -> ServiceConfig.parse(p))
          .getMessage(), c[0] + "=" + c[1]);
    }
  }
}
