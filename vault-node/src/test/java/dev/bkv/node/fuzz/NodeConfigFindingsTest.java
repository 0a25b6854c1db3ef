package dev.bkv.node.fuzz;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.bkv.node.raft.ConfigException;
import dev.bkv.node.raft.NodeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An input {@link NodeParsersFuzzTest} found: a malformed {@code \}{@code u} escape made
 * {@link NodeConfig#load} throw IllegalArgumentException instead of {@link ConfigException}. It
 * is a seed of the fuzz target too.
 */
class NodeConfigFindingsTest {
  @TempDir
  Path dir;

  @Test
  void malformedEscapeIsAConfigError() throws Exception {
    Path file = dir.resolve("node.properties");
    try (var in = getClass().getResourceAsStream("NodeParsersFuzzTestInputs/nodeConfig/bad-escape")) {
      Files.write(file, in.readAllBytes());
    }
    assertThrows(ConfigException.class, () -> NodeConfig.load(file));
  }
}
