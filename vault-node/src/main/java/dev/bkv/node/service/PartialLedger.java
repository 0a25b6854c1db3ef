package dev.bkv.node.service;

import dev.bkv.crypto.Sha256;
import dev.bkv.node.raft.Query;
import dev.bkv.node.store.UserId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeSet;

/**
 * What this member has answered peers' partial evaluation requests for: at most once per user,
 * purpose and log index. Kept durably in a file of fixed 25-byte entries (16-byte user digest,
 * purpose, index), each forced to disk before the evaluation, and read back at start, so a
 * restart forgets nothing. Per user and purpose the latest {@value #KEPT} indexes are kept in
 * memory; an index at or below the newest one forgotten is refused (a record keeps at most its
 * attempt limit of attempts between resets, and limits are at most 1000). Without a file (unit
 * tests), in memory only.
 */
final class PartialLedger implements AutoCloseable {
  static final int KEPT = 1024;
  private static final int ENTRY = 25;

  private static final class Answered {
    final TreeSet<Long> indexes = new TreeSet<>();
    long forgottenUpTo = -1;

    boolean add(long index) {
      if (index <= forgottenUpTo || !indexes.add(index)) {
        return false;
      }
      while (indexes.size() > KEPT) {
        forgottenUpTo = indexes.pollFirst();
      }
      return true;
    }
  }

  private final Map<String, Answered> answered = new HashMap<>();
  private final FileChannel file;
  /** Entries written to the file (guarded by this). */
  private long written;
  /** Entries known to be on disk (guarded by {@link #forcing}). */
  private long forced;
  private final Object forcing = new Object();

  /** In memory only. */
  PartialLedger() {
    this.file = null;
  }

  /** Durable in {@code path} (created if missing; its entries are loaded). */
  PartialLedger(Path path) throws IOException {
    if (Files.exists(path)) {
      byte[] all = Files.readAllBytes(path);
      int whole = all.length - all.length % ENTRY; // a torn last entry was never acted on
      ByteBuffer b = ByteBuffer.wrap(all, 0, whole);
      while (b.remaining() >= ENTRY) {
        byte[] user = new byte[16];
        b.get(user);
        int purpose = b.get();
        long index = b.getLong();
        answered.computeIfAbsent(key(user, purpose), k -> new Answered()).add(index);
      }
    }
    this.file = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND);
  }

  /**
   * Claims {@code index} for {@code user} and {@code purpose}: true (and durable) the first time.
   * Claims made at the same time share one force to disk: whoever forces covers every entry
   * written before it started, and the others find theirs already durable.
   */
  boolean claim(UserId user, Query.Purpose purpose, long index) throws IOException {
    byte[] digest = java.util.Arrays.copyOf(Sha256.hash(user.bytes()), 16);
    Answered a;
    long entry;
    synchronized (this) {
      a = answered.computeIfAbsent(key(digest, purpose.ordinal()), k -> new Answered());
      if (!a.add(index)) {
        return false;
      }
      if (file == null) {
        return true;
      }
      ByteBuffer b = ByteBuffer.allocate(ENTRY).put(digest).put((byte) purpose.ordinal())
          .putLong(index).flip();
      try {
        while (b.hasRemaining()) {
          file.write(b);
        }
      } catch (IOException e) {
        a.indexes.remove(index); // not durable: not claimed
        throw e;
      }
      entry = ++written;
    }
    try {
      forceThrough(entry);
    } catch (IOException e) {
      synchronized (this) {
        a.indexes.remove(index); // not durable: not claimed
      }
      throw e;
    }
    return true;
  }

  private void forceThrough(long entry) throws IOException {
    synchronized (forcing) {
      if (forced >= entry) {
        return;
      }
      long upTo;
      synchronized (this) {
        upTo = written;
      }
      file.force(false);
      forced = upTo;
    }
  }

  private static String key(byte[] userDigest, int purpose) {
    return HexFormat.of().formatHex(userDigest) + "/" + purpose;
  }

  @Override
  public synchronized void close() throws IOException {
    if (file != null) {
      file.close();
    }
  }
}
