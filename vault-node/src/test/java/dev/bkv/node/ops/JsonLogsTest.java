package dev.bkv.node.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class JsonLogsTest {
  @Test
  void oneParseableObjectPerLineWithTimeLevelLoggerMessage() throws Exception {
    LogRecord r = new LogRecord(Level.WARNING, "member {0} said \"hi\"\nand\tleft \u0001");
    r.setParameters(new Object[] {"m1"});
    r.setLoggerName("dev.bkv.test");
    r.setMillis(1_700_000_000_000L);
    String line = JsonLogs.formatter().format(r);
    assertTrue(line.endsWith("}\n"));
    assertEquals(1, line.lines().count());
    Map<String, Object> j = JSONObjectUtils.parse(line);
    assertEquals("2023-11-14T22:13:20Z", j.get("time"));
    assertEquals("WARNING", j.get("level"));
    assertEquals("dev.bkv.test", j.get("logger"));
    assertEquals("member m1 said \"hi\"\nand\tleft \u0001", j.get("message"));
    assertFalse(j.containsKey("thrown"));
  }

  @Test
  void thrownIsASummaryWithoutStackTrace() throws Exception {
    LogRecord r = new LogRecord(Level.SEVERE, "failed");
    r.setThrown(new IllegalStateException("outer", new IOException("inner")));
    Map<String, Object> j = JSONObjectUtils.parse(JsonLogs.formatter().format(r));
    assertEquals("java.lang.IllegalStateException: outer; caused by java.io.IOException: inner",
        j.get("thrown"));
    assertEquals("", j.get("logger"));
  }
}
