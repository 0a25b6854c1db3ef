package dev.bkv.node.service.internal;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * In-memory state that waits briefly for the next message of a flow (server login state, a
 * registration's salt, a login token): bounded, expiring, each entry taken at most once.
 * Ids are random and of a fixed length.
 */
public final class ExpiringSessions<V> {
  private record Entry<V>(V value, long expiresAt) {}

  private final Map<String, Entry<V>> entries = new ConcurrentHashMap<>();
  private final int idLength;
  private final long ttlMs;
  private final int capacity;
  private final Clock clock;
  private final SecureRandom rng;

  public ExpiringSessions(int idLength, long ttlMs, int capacity, Clock clock, SecureRandom rng) {
    this.idLength = idLength;
    this.ttlMs = ttlMs;
    this.capacity = capacity;
    this.clock = clock;
    this.rng = rng;
  }

  public int idLength() {
    return idLength;
  }

  /** Stores {@code value} and returns its fresh id, or null if the map is full. */
  public byte[] put(V value) {
    long now = clock.millis();
    if (entries.size() >= capacity) {
      purge(now);
      if (entries.size() >= capacity) {
        return null;
      }
    }
    byte[] id = new byte[idLength];
    rng.nextBytes(id);
    entries.put(HexFormat.of().formatHex(id), new Entry<>(value, now + ttlMs));
    return id;
  }

  /** Removes and returns the value, or null if unknown, already taken or expired. */
  public V take(byte[] id) {
    if (id == null || id.length != idLength) {
      return null;
    }
    Entry<V> e = entries.remove(HexFormat.of().formatHex(id));
    if (e == null || e.expiresAt < clock.millis()) {
      return null;
    }
    return e.value;
  }

  public int size() {
    return entries.size();
  }

  /** Drops every expired entry now; returns how many were dropped (never taken). */
  public int purgeExpired() {
    return purge(clock.millis());
  }

  private int purge(long now) {
    int n = 0;
    for (Iterator<Entry<V>> it = entries.values().iterator(); it.hasNext(); ) {
      if (it.next().expiresAt < now) {
        it.remove();
        n++;
      }
    }
    return n;
  }
}
