package dev.bkv.node.service;

import dev.bkv.node.raft.ReplicatedStore;
import dev.bkv.node.testing.Polling;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.ratis.util.FileUtils;

/**
 * The faults of an adversarial run, inflicted on the member processes and the network of a
 * {@link VaultFleet}: SIGKILL, SIGTERM, SIGSTOP for a while, a partition for a while, or a
 * lost disk (SIGKILL and the member's data directory deleted; it comes back empty and rejoins);
 * and healing all of them, which waits until a wiped member has caught up again (a second lost
 * disk before that would be a majority's storage lost, beyond what a fleet survives).
 */
final class AdversaryFaults {
  enum Fault { NONE, KILL, STOP, PAUSE, PARTITION, WIPE }

  private final VaultFleet fleet;
  private final ReplicatedStore store;
  private final AdversaryReport report;
  private final Set<String> wiped = new HashSet<>();

  AdversaryFaults(VaultFleet fleet, ReplicatedStore store, AdversaryReport report) {
    this.fleet = fleet;
    this.store = store;
    this.report = report;
  }

  /** A fault drawn for one round: none one time in ten; a partition needs the network. */
  Fault draw(Random rnd) {
    Fault drawn = rnd.nextInt(10) == 0 ? Fault.NONE
        : Fault.values()[1 + rnd.nextInt(Fault.values().length - 1)];
    return drawn == Fault.PARTITION && fleet.network() == null ? Fault.PAUSE : drawn;
  }

  /** The side of a partition that holds {@code victim}: alone, or (5 members) with one more. */
  static Set<String> partitionSide(Random rnd, String victim, List<String> ids) {
    Set<String> side = new HashSet<>(Set.of(victim));
    if (ids.size() >= 5 && rnd.nextBoolean()) {
      List<String> others = new ArrayList<>(ids);
      others.remove(victim);
      side.add(others.get(rnd.nextInt(others.size())));
    }
    return side;
  }

  /**
   * Inflicts the fault; pauses and partitions are held for {@code holdMs} (the fault's length,
   * not a wait for a condition) and then lifted.
   */
  void strike(Fault fault, String victim, Set<String> side, int holdMs, String label) {
    try {
      switch (fault) {
        case KILL -> {
          fleet.kill(victim);
        }
        case STOP -> {
          fleet.stop(victim);
        }
        case PAUSE -> {
          fleet.processes().pause(victim);
          Thread.sleep(holdMs);
          fleet.processes().resume(victim);
        }
        case PARTITION -> {
          fleet.network().partition(side);
          Thread.sleep(holdMs);
          fleet.network().healAll();
        }
        case WIPE -> {
          fleet.kill(victim);
          FileUtils.deleteFully(fleet.dir(victim).resolve("data").toFile());
          wiped.add(victim);
        }
        case NONE -> { }
        default -> throw new IllegalStateException(fault.toString());
      }
    } catch (Exception e) {
      report.harnessFailure("harness could not inflict " + label + " on " + victim + ": " + e);
    }
  }

  /** Lifts every fault and brings every member back. */
  void heal() throws Exception {
    for (String id : fleet.ids()) {
      if (fleet.processes().isPaused(id)) {
        fleet.processes().resume(id);
      }
    }
    if (fleet.network() != null) {
      fleet.network().healAll();
    }
    for (String id : fleet.ids()) {
      if (!fleet.processes().isRunning(id)) {
        fleet.start(id);
      }
    }
    for (String id : List.copyOf(wiped)) {
      Polling.until(Duration.ofSeconds(120), id + " caught up after its lost disk", () -> {
        String log = Files.readString(fleet.log(id));
        return log.contains("votes again in shard")
            && count(log, "votes again in shard") >= count(log, "rejoins shard");
      });
      wiped.remove(id);
    }
  }

  private static int count(String text, String what) {
    int n = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }

  /** What the harness and the network look like now, for a failure message. */
  String diagnostics() {
    StringBuilder b = new StringBuilder();
    b.append("running ").append(fleet.processes().runningIds());
    fleet.ids().forEach(id -> {
      if (fleet.processes().isPaused(id)) {
        b.append(", paused ").append(id);
      }
    });
    b.append(", leader ").append(store.leaderOf(0).orElse("none"));
    if (fleet.network() != null) {
      b.append(", cut ").append(fleet.network().cutLinks()).append(", neighbours:");
      for (String a : fleet.ids()) {
        for (String c : fleet.ids()) {
          if (!a.equals(c)) {
            try {
              b.append(' ').append(a).append("->").append(c).append('[')
                  .append(fleet.network().neighbour(a, c)).append(']');
            } catch (IOException e) {
              b.append(' ').append(e.getMessage());
            }
          }
        }
      }
    }
    return b.toString();
  }
}
