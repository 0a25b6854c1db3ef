package dev.bkv.node.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.node.raft.ConfigException;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class OpsConfigTest {
  private static Properties props(String... kv) {
    Properties p = new Properties();
    for (int i = 0; i < kv.length; i += 2) {
      p.setProperty(kv[i], kv[i + 1]);
    }
    return p;
  }

  @Test
  void everythingIsOffByDefault() throws Exception {
    OpsConfig c = OpsConfig.parse(props());
    assertNull(c.metricsListen());
    assertFalse(c.jsonLogs());
    assertEquals(2000, c.healthIntervalMs());
    assertEquals(java.util.logging.Level.INFO, c.raftLogLevel());
  }

  @Test
  void readsTheRaftLogLevel() throws Exception {
    assertEquals(java.util.logging.Level.WARNING,
        OpsConfig.parse(props("node.log.raft-level", "WARNING")).raftLogLevel());
    assertEquals(java.util.logging.Level.FINE,
        OpsConfig.parse(props("node.log.raft-level", " FINE ")).raftLogLevel());
  }

  @Test
  void readsTheKeys() throws Exception {
    OpsConfig c = OpsConfig.parse(props("node.metrics.listen", " 127.0.0.1:9464 ",
        "node.log.format", "json", "node.health.interval-ms", "500"));
    assertEquals(9464, c.metricsListen().getPort());
    assertEquals("127.0.0.1", c.metricsListen().getHostString());
    assertTrue(c.jsonLogs());
    assertEquals(500, c.healthIntervalMs());
  }

  @Test
  void badValuesNameTheKey() {
    for (String[] kv : new String[][] {{"node.metrics.listen", "9464"},
        {"node.metrics.listen", "host:http"}, {"node.metrics.listen", "host:70000"},
        {"node.log.format", "xml"}, {"node.health.interval-ms", "5"},
        {"node.log.raft-level", "debug"}, {"node.log.raft-level", "500"}}) {
      ConfigException e = assertThrows(ConfigException.class, () -> OpsConfig.parse(props(kv)));
      assertTrue(e.getMessage().startsWith(kv[0]), e.getMessage());
    }
  }
}
