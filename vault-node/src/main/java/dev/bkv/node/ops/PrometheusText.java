package dev.bkv.node.ops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A scrape in the Prometheus text format, read back: for {@code bkv node status} and tests. Only
 * what those need: one sample per line, {@code name{label="value",…} number}; comments skipped.
 */
public final class PrometheusText {
  /** One sample. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  private final List<Sample> samples;

  private PrometheusText(List<Sample> samples) {
    this.samples = List.copyOf(samples);
  }

  public static PrometheusText parse(String text) {
    List<Sample> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      line = line.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space;
      Map<String, String> labels = new LinkedHashMap<>();
      String name;
      if (brace >= 0) {
        int close = line.lastIndexOf('}');
        name = line.substring(0, brace);
        labels(line.substring(brace + 1, close), labels);
        space = close + 1;
      } else {
        space = line.indexOf(' ');
        name = line.substring(0, space);
      }
      String[] rest = line.substring(space).strip().split("\\s+");
      double v;
      try {
        v = Double.parseDouble(rest[0]);
      } catch (NumberFormatException e) {
        continue; // not a sample this reader understands
      }
      out.add(new Sample(name, labels, v));
    }
    return new PrometheusText(out);
  }

  private static void labels(String s, Map<String, String> out) {
    int i = 0;
    while (i < s.length()) {
      int eq = s.indexOf('=', i);
      if (eq < 0) {
        return;
      }
      String key = s.substring(i, eq).strip();
      StringBuilder v = new StringBuilder();
      int j = eq + 2; // after ="
      for (; j < s.length() && s.charAt(j) != '"'; j++) {
        char c = s.charAt(j);
        if (c == '\\' && j + 1 < s.length()) {
          char n = s.charAt(++j);
          v.append(n == 'n' ? '\n' : n);
        } else {
          v.append(c);
        }
      }
      out.put(key, v.toString());
      i = j + 1;
      while (i < s.length() && (s.charAt(i) == ',' || s.charAt(i) == ' ')) {
        i++;
      }
    }
  }

  public List<Sample> samples() {
    return samples;
  }

  /** Samples named {@code name} whose labels include every {@code key, value} pair given. */
  public List<Sample> find(String name, String... labelPairs) {
    List<Sample> out = new ArrayList<>();
    for (Sample s : samples) {
      if (!s.name().equals(name)) {
        continue;
      }
      boolean match = true;
      for (int k = 0; k + 1 < labelPairs.length; k += 2) {
        match &= labelPairs[k + 1].equals(s.labels().get(labelPairs[k]));
      }
      if (match) {
        out.add(s);
      }
    }
    return out;
  }

  /** The sum of the matching samples (0 if none). */
  public double sum(String name, String... labelPairs) {
    return find(name, labelPairs).stream().mapToDouble(Sample::value).sum();
  }

  /** The value of the single matching sample, if there is exactly one. */
  public Optional<Double> value(String name, String... labelPairs) {
    List<Sample> found = find(name, labelPairs);
    return found.size() == 1 ? Optional.of(found.get(0).value()) : Optional.empty();
  }
}
