package dev.bkv.node.raft;

import dev.bkv.node.NodeException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs one fleet member until the process is stopped: {@code ReplicaMain <config.properties>}.
 * Prints {@code ready <member-id>} on standard output once the server is up.
 */
public final class ReplicaMain {
  private ReplicaMain() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length != 1) {
      System.err.println("usage: ReplicaMain <config.properties>");
      System.exit(2);
    }
    ReplicaServer server;
    try {
      server = ReplicaServer.start(NodeConfig.load(Path.of(args[0])));
    } catch (NodeException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        server.close();
      } catch (Exception e) {
        System.err.println("error while stopping: " + e.getMessage());
      }
      stopped.countDown();
    }, "bkv-node-shutdown"));
    System.out.println("ready " + server.memberId());
    System.out.flush();
    stopped.await();
  }
}
