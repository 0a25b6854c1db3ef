package dev.bkv.node.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What one member's data directory holds on disk, by part: the live databases, the snapshots
 * (only what they do not share with a database by hard link: the disk they really cost) and
 * the Raft logs; and per stored record.
 */
record MemberDisk(long total, long databases, long snapshots, long logs, int records) {
  static MemberDisk measure(Path dataDir, int records) throws IOException {
    Set<Object> seen = new HashSet<>();
    long db = 0;
    long snap = 0;
    long log = 0;
    long other = 0;
    // Databases first, so a hard-linked SST counts once, as database.
    List<Path> files;
    try (Stream<Path> s = Files.walk(dataDir)) {
      files = s.filter(Files::isRegularFile).sorted((a, b) -> Integer.compare(rank(a), rank(b)))
          .toList();
    }
    for (Path f : files) {
      BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
      Object key = a.fileKey() == null ? f : a.fileKey();
      if (!seen.add(key)) {
        continue;
      }
      switch (rank(f)) {
        case 0 -> db += a.size();
        case 1 -> snap += a.size();
        case 2 -> log += a.size();
        default -> other += a.size();
      }
    }
    return new MemberDisk(db + snap + log + other, db, snap, log, records);
  }

  private static int rank(Path f) {
    String p = f.toString().replace('\\', '/');
    if (p.contains("/sm/db/")) {
      return 0;
    }
    if (p.contains("/sm/snapshots/")) {
      return 1;
    }
    if (p.contains("/current/")) {
      return 2;
    }
    return 3;
  }

  String render(String member) {
    return String.format("disk at %s: %,d bytes for %,d records (%.0f B/record; databases %,d,"
        + " snapshots beyond them %,d, Raft log %,d)", member, total, records,
        records == 0 ? Double.NaN : (double) total / records, databases, snapshots, logs);
  }
}
