package dev.bkv.node.service;

import dev.bkv.node.NodeException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs one vault member until the process is stopped: {@code NodeMain <config.properties>}.
 * Prints {@code ready <member-id> <grpc-port>} once the API serves; SIGTERM stops it cleanly.
 */
public final class NodeMain {
  private NodeMain() {}

  public static void main(String[] args) throws InterruptedException {
    main(args, ServiceHooks.NONE);
  }

  /** {@link #main} with fault-injection hooks in the vault service (test member processes). */
  static void main(String[] args, ServiceHooks hooks) throws InterruptedException {
    if (args.length != 1) {
      System.err.println("usage: NodeMain <config.properties>");
      System.exit(2);
    }
    try {
      runUntilStopped(Path.of(args[0]), hooks);
    } catch (NodeException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(1);
    }
  }

  /** Starts the member, prints the ready line and blocks until the JVM shuts down. */
  public static void runUntilStopped(Path config) throws NodeException, InterruptedException {
    runUntilStopped(config, ServiceHooks.NONE);
  }

  static void runUntilStopped(Path config, ServiceHooks hooks)
      throws NodeException, InterruptedException {
    VaultNode node = VaultNode.start(config, hooks);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      node.close();
      stopped.countDown();
    }, "bkv-node-shutdown"));
    System.out.println("ready " + node.memberId() + " " + node.port());
    System.out.flush();
    stopped.await();
  }
}
