package dev.bkv.cli.fleet;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium (Debian package {@code chromium}, installed by scripts/setup) on a local
 * page: the text a reader sees, and a screenshot. {@code --no-sandbox}: CI runs as root.
 */
final class Browser {
  private Browser() {}

  /** The page's DOM after loading, with tags removed and entities decoded. */
  static String text(Path page) throws Exception {
    String dom = run(List.of("--dump-dom", page.toUri().toString()));
    assertTrue(dom.contains("</html>"), "no DOM from chromium: " + dom);
    String body = dom.replaceAll("(?s)<style>.*?</style>", " ").replaceAll("<[^>]+>", " ");
    return body.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
        .replace("&#39;", "'").replace("&amp;", "&").replaceAll("\\s+", " ");
  }

  /** Saves a screenshot of {@code page} to {@code png}. */
  static Path screenshot(Path page, Path png) throws Exception {
    Files.deleteIfExists(png);
    run(List.of("--screenshot=" + png, "--window-size=1280,2400", page.toUri().toString()));
    assertTrue(Files.isRegularFile(png), "chromium wrote no screenshot to " + png);
    return png;
  }

  private static String run(List<String> args) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory("bkv-chromium");
    List<String> cmd = new ArrayList<>(List.of("chromium", "--headless", "--no-sandbox",
        "--disable-gpu", "--no-first-run", "--user-data-dir=" + profile));
    cmd.addAll(args);
    Path err = Files.createTempFile("bkv-chromium", ".err");
    Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    boolean done = p.waitFor(180, TimeUnit.SECONDS);
    if (!done) {
      p.destroyForcibly();
    }
    assertTrue(done && p.exitValue() == 0, "chromium " + args + " failed: "
        + Files.readString(err));
    return out;
  }
}
