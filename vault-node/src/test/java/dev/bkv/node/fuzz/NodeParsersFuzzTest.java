package dev.bkv.node.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.bkv.node.raft.ConfigException;
import dev.bkv.node.raft.NodeConfig;
import dev.bkv.node.store.Command;
import dev.bkv.node.store.MalformedMessageException;
import dev.bkv.node.store.UserRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzz targets for what a vault node parses from disk and from the Raft log: replicated
 * commands, stored user records and the node config file. Property: only the typed
 * {@link MalformedMessageException} / {@link ConfigException} escape, and a parsed command or
 * record re-encodes to exactly its input. Seeds are in
 * {@code src/test/resources/dev/bkv/node/fuzz/NodeParsersFuzzTestInputs/<target>/}.
 */
class NodeParsersFuzzTest {
  private static final Path FILE = tempFile();

  private static Path tempFile() {
    try {
      Path p = Files.createTempFile("bkv-fuzz-node", ".properties");
      p.toFile().deleteOnExit();
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @FuzzTest
  void command(byte[] data) {
    try {
      assertArrayEquals(data, Command.parse(data).toBytes(), "parse -> toBytes is not the identity");
    } catch (MalformedMessageException expected) {
      // rejected input
    }
  }

  @FuzzTest
  void userRecord(byte[] data) {
    try {
      assertArrayEquals(data, UserRecord.parse(data).toBytes(), "parse -> toBytes is not the identity");
    } catch (MalformedMessageException expected) {
      // rejected input
    }
  }

  @FuzzTest
  void nodeConfig(byte[] data) throws IOException {
    Files.write(FILE, data);
    try {
      NodeConfig c = NodeConfig.load(FILE);
      assertEquals(c.peers().size(), c.peers().stream().map(p -> p.id()).distinct().count());
    } catch (ConfigException expected) {
      // rejected input
    }
  }
}
