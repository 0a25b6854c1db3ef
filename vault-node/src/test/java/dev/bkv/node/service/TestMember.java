package dev.bkv.node.service;

import dev.bkv.evidence.ShareLayout;
import dev.bkv.node.raft.ConfigException;
import dev.bkv.node.raft.NodeConfig;
import dev.bkv.node.raft.Peer;
import dev.bkv.pkcs11.Pkcs11Config;
import dev.bkv.pkcs11.Pkcs11Token;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * A member process for tests: {@code TestMember <config> <secrets-hex-file>}. Puts the dev fleet
 * keys on its token if they are not there yet (first start), then runs {@link NodeMain} with
 * the fault-injection delays its JVM was started with ({@link Delays}).
 */
public final class TestMember {
  private TestMember() {}

  public static void main(String[] args) throws Exception {
    Path conf = Path.of(args[0]);
    Properties p = VaultNode.loadProperties(conf);
    String fleet = p.getProperty("node.fleet-id");
    if (fleet == null) {
      throw new ConfigException("node.fleet-id missing");
    }
    try (Pkcs11Token token = Pkcs11Token.open(Pkcs11Config.fromProperties(p, conf.toString()))) {
      long epoch = Long.parseLong(p.getProperty("node.epoch", "1").trim());
      String space = dev.bkv.evidence.FleetKey.space(fleet, epoch);
      if (!DevFleetKeys.present(token, space)) {
        DevFleetKeys.Secrets secrets =
            DevFleetKeys.Secrets.fromHex(Files.readString(Path.of(args[1])));
        DevFleetKeys.importInto(token, space, secrets);
        NodeConfig nc = NodeConfig.parse(ServiceConfig.replicationOnly(p));
        DevFleetKeys.importShareKeys(token, new ShareLayout(fleet, epoch,
            nc.peers().stream().map(Peer::id).toList()), nc.memberId(), secrets);
      }
    }
    NodeMain.main(new String[] {args[0]}, Delays.fromSystemProperties());
  }

  /**
   * Fault-injection delays, read once from the member JVM's system properties: {@code
   * -Dbkv.test.delay-after-write-ms=N} waits N ms after a registration or password change has
   * written its record and before answering, so that a client deadline loses the reply of a
   * write that took effect (LostReplyTest); {@code -Dbkv.test.delay-after-attempt-ms=N} waits N
   * ms after an attempt commits and before the HSM evaluates, widening the window in which a
   * crash leaves a counted attempt that was never evaluated (the adversarial run).
   */
  record Delays(long afterWriteMs, long afterAttemptMs) implements ServiceHooks {
    static Delays fromSystemProperties() {
      return new Delays(Long.getLong("bkv.test.delay-after-write-ms", 0),
          Long.getLong("bkv.test.delay-after-attempt-ms", 0));
    }

    @Override
    public void afterWrite() throws InterruptedException {
      Thread.sleep(afterWriteMs);
    }

    @Override
    public void afterAttempt() throws InterruptedException {
      Thread.sleep(afterAttemptMs);
    }
  }
}
