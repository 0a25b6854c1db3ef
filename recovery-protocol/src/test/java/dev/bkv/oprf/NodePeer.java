package dev.bkv.oprf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The independent OPRF implementation (@noble/curves, run by Node) as a line-oriented peer
 * process; see {@code src/test/node/oprf-peer.mjs}. Fails loudly when Node or the package is
 * missing: {@code scripts/setup} installs both.
 */
final class NodePeer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Process process;
  private final Writer in;
  private final BufferedReader out;

  NodePeer() throws IOException {
    Path dir = Path.of("src/test/node").toAbsolutePath();
    if (!Files.isDirectory(dir.resolve("node_modules/@noble/curves"))) {
      throw new IllegalStateException("@noble/curves is not installed in " + dir
          + "; run scripts/setup (or npm ci there)");
    }
    process = new ProcessBuilder("node", "oprf-peer.mjs").directory(dir.toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  /** Sends one request and returns the answer; an {@code error} answer throws. */
  JsonNode call(Map<String, String> request) throws IOException {
    in.write(JSON.writeValueAsString(request) + "\n");
    in.flush();
    String line = out.readLine();
    if (line == null) {
      throw new IOException("node peer exited (code " + exitCode() + ")");
    }
    JsonNode answer = JSON.readTree(line);
    if (answer.has("error")) {
      throw new IOException("node peer: " + answer.get("error").asText());
    }
    return answer;
  }

  private String exitCode() {
    return process.isAlive() ? "still running" : String.valueOf(process.exitValue());
  }

  @Override
  public void close() throws IOException {
    in.close();
    process.destroy();
  }
}
