package dev.bkv.bundle;

import dev.bkv.transparency.TileLogReader;
import dev.bkv.transparency.TransparencyException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where each epoch's bundle and retirement sit in a cosigner's log. Bundles come in epoch order
 * (the {@code n}-th bundle is epoch {@code n}); retirements sit between them, so epoch
 * {@code n}'s bundle is at leaf {@code n - 1} or later.
 */
final class LogEntries {
  private final List<String> texts;
  private final Map<Long, Long> bundles = new TreeMap<>();
  private final Map<Long, Long> retirements = new TreeMap<>();

  private LogEntries(List<String> texts) {
    this.texts = texts;
    long epoch = 0;
    for (int i = 0; i < texts.size(); i++) {
      String t = texts.get(i);
      if (RetirementEntry.isRetirement(t)) {
        try {
          retirements.putIfAbsent(RetirementEntry.parse(t).epoch(), (long) i);
        } catch (MalformedBundleException e) {
          // not a well-formed retirement: the auditor reports it; the cosigner never wrote it
        }
      } else {
        bundles.put(++epoch, (long) i);
      }
    }
  }

  static LogEntries read(TileLogReader log) throws TransparencyException {
    List<String> texts = new ArrayList<>();
    for (long i = 0; i < log.size(); i++) {
      texts.add(new String(log.entry(i), StandardCharsets.UTF_8));
    }
    return new LogEntries(texts);
  }

  /** The number of bundles: the last epoch. */
  long lastEpoch() {
    return bundles.size();
  }

  /** The leaf of epoch {@code epoch}'s bundle, or -1. */
  long bundleLeaf(long epoch) {
    return bundles.getOrDefault(epoch, -1L);
  }

  /** The leaf of epoch {@code epoch}'s retirement, or -1. */
  long retirementLeaf(long epoch) {
    return retirements.getOrDefault(epoch, -1L);
  }

  String text(long leaf) {
    return texts.get((int) leaf);
  }
}
