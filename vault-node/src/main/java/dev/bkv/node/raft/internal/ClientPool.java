package dev.bkv.node.raft.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.IntFunction;
import org.apache.ratis.client.RaftClient;

/**
 * Ratis clients per shard, each used by one thread at a time. With the Netty transport, a
 * blocking call on a client shared between threads can find the connection proxy closed by
 * another thread's failover, and Ratis then gives up on that call instead of retrying it.
 */
public final class ClientPool implements AutoCloseable {
  /** A call made with a borrowed client. */
  public interface Call<T> {
    T call(RaftClient client) throws IOException;
  }

  private final IntFunction<RaftClient> factory;
  private final List<Deque<RaftClient>> idle = new ArrayList<>();
  private final List<RaftClient> all = new ArrayList<>();
  private boolean closed;

  public ClientPool(int shards, IntFunction<RaftClient> factory) {
    this.factory = factory;
    for (int i = 0; i < shards; i++) {
      idle.add(new ConcurrentLinkedDeque<>());
    }
  }

  /** Runs {@code call} on a client of {@code shard} that no other thread is using. */
  public <T> T with(int shard, Call<T> call) throws IOException {
    RaftClient c = idle.get(shard).pollFirst();
    if (c == null) {
      c = factory.apply(shard);
      synchronized (all) {
        if (closed) {
          c.close();
          throw new IOException("client pool is closed");
        }
        all.add(c);
      }
    }
    try {
      return call.call(c);
    } finally {
      idle.get(shard).offerFirst(c);
    }
  }

  @Override
  public void close() throws IOException {
    List<RaftClient> toClose;
    synchronized (all) {
      closed = true;
      toClose = new ArrayList<>(all);
      all.clear();
    }
    IOException first = null;
    for (RaftClient c : toClose) {
      try {
        c.close();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
