package dev.bkv.hygiene;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The known secrets of a test run and a scan of captured text for them: each secret raw (as
 * ISO-8859-1 and UTF-8 text), in lower- and upper-case hex and in standard and URL-safe base64
 * (with and without padding). Returns one line per hit, naming the secret and form only.
 */
public final class SecretScan {
  private final Map<String, byte[]> secrets = new LinkedHashMap<>();

  public SecretScan add(String name, byte[] secret) {
    if (secret.length < 4) {
      throw new IllegalArgumentException(name + " is too short to scan for reliably");
    }
    secrets.put(name, secret.clone());
    return this;
  }

  public SecretScan add(String name, String secret) {
    return add(name, secret.getBytes(StandardCharsets.UTF_8));
  }

  public int size() {
    return secrets.size();
  }

  static Map<String, String> forms(byte[] s) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("raw", new String(s, StandardCharsets.ISO_8859_1));
    f.put("utf8", new String(s, StandardCharsets.UTF_8));
    f.put("hex", HexFormat.of().formatHex(s));
    f.put("HEX", HexFormat.of().formatHex(s).toUpperCase(Locale.ROOT));
    f.put("base64", Base64.getEncoder().encodeToString(s));
    f.put("base64-unpadded", Base64.getEncoder().withoutPadding().encodeToString(s));
    f.put("base64url", Base64.getUrlEncoder().withoutPadding().encodeToString(s));
    return f;
  }

  /** Hits of any secret in any form within {@code captured}. */
  public List<String> scan(String captured) {
    List<String> hits = new ArrayList<>();
    secrets.forEach((name, s) -> forms(s).forEach((form, text) -> {
      if (captured.contains(text)) {
        hits.add(name + " appears (" + form + ")");
      }
    }));
    return hits;
  }
}
