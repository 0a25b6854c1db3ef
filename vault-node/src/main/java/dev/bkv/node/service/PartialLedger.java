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

/**
 * What this member has answered peers' partial evaluation requests for: at most once per user,
 * purpose and log index, and never for an index at or below one already answered (a user's
 * attempts and registrations only move forward in the log). Kept durably in a file of fixed
 * 25-byte entries (16-byte user digest, purpose, index), each forced to disk before the
 * evaluation; read back at start, so a restart forgets nothing. Without a file (unit tests),
 * in memory only.
 */
final class PartialLedger implements AutoCloseable {
  private static final int ENTRY = 25;
  private final Map<String, Long> highest = new HashMap<>();
  private final FileChannel file;

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
        highest.merge(key(user, purpose), index, Math::max);
      }
    }
    this.file = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND);
  }

  /**
   * Claims {@code index} for {@code user} and {@code purpose}: true (and durable) if nothing at
   * or above it was answered before, false otherwise.
   */
  synchronized boolean claim(UserId user, Query.Purpose purpose, long index) throws IOException {
    byte[] digest = java.util.Arrays.copyOf(Sha256.hash(user.bytes()), 16);
    String k = key(digest, purpose.ordinal());
    Long before = highest.get(k);
    if (before != null && before >= index) {
      return false;
    }
    if (file != null) {
      ByteBuffer b = ByteBuffer.allocate(ENTRY).put(digest).put((byte) purpose.ordinal())
          .putLong(index).flip();
      while (b.hasRemaining()) {
        file.write(b);
      }
      file.force(false);
    }
    highest.put(k, index);
    return true;
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
