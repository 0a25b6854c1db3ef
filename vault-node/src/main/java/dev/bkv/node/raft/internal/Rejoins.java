package dev.bkv.node.raft.internal;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.proto.RaftProtos.CommitInfoProto;
import org.apache.ratis.proto.RaftProtos.LogInfoProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.LeaderElectionManagementRequest;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;

/**
 * Brings a member back into the groups it lost its storage for, without a vote until it is
 * safe to give one. A group without storage is first classified by asking the other members:
 * if every one answers and none holds an entry or snapshot of it (or hosts it yet), the fleet
 * is new and the group is created as usual; if any holds one, the member lost its storage and
 * rejoins. A member that does not answer leaves the question open, and the group is not created
 * until it can be answered (one member down is enough to wait; a fleet whose members all lost
 * their storage at once is new again).
 *
 * <p>While a group is rejoining, the member's {@link VoteGuard} refuses vote requests and its
 * own elections are paused; it still receives the log or a snapshot from the leader. Every
 * {@value #CHECK_MS} ms it checks whether it has <b>caught up</b>: it follows a leader, its
 * state machine has applied an entry of that leader's term, and its applied index has reached
 * the leader's commit index as the leader last reported it. An entry of the leader's term comes
 * after everything the leader held when it was elected; that leader was elected without this
 * member's vote, by a majority that shares an intact member with every majority that ever
 * committed an entry, so it held every committed entry, this member's lost acknowledgements
 * included, and the member now holds them too. From then on it votes like any other member.
 */
public final class Rejoins implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Rejoins.class.getName());
  static final long CHECK_MS = 250;
  private static final long PROBE_EVERY = 2;

  /** Creates a group on this member's server. */
  public interface GroupAdder {
    void add(RaftGroup group) throws IOException;
  }

  private enum Answer { NEW, HELD, OPEN }

  private final RaftServer server;
  private final VoteGuard guard;
  private final RejoinMarkers markers;
  private final GroupAdder adder;
  private final Map<RaftGroup, Integer> unclassified = new ConcurrentHashMap<>();
  private final Map<RaftGroup, Integer> rejoining = new ConcurrentHashMap<>();
  private final Supplier<RaftClient> probes;
  private final AtomicLong callId = new AtomicLong();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "bkv-rejoin");
    t.setDaemon(true);
    return t;
  });
  private long ticks;

  /**
   * Watches, by shard number, the groups {@code missing} (no storage: classified, then created
   * with {@code adder}) and {@code resumed} (storage present but rejoining when the member last
   * stopped); {@code guard} already guards both. {@code probes} makes a Raft client (no
   * retries) to ask the other members about a group.
   */
  public Rejoins(RaftServer server, VoteGuard guard, RejoinMarkers markers, GroupAdder adder,
      Map<Integer, RaftGroup> missing, Map<Integer, RaftGroup> resumed,
      Supplier<RaftClient> probes) throws IOException {
    this.server = server;
    this.guard = guard;
    this.markers = markers;
    this.adder = adder;
    this.probes = probes;
    for (Map.Entry<Integer, RaftGroup> e : resumed.entrySet()) {
      rejoin(e.getValue(), e.getKey());
    }
    missing.forEach((shard, g) -> unclassified.put(g, shard));
    if (!unclassified.isEmpty() || !rejoining.isEmpty()) {
      timer.scheduleWithFixedDelay(this::check, 0, CHECK_MS, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Waits up to {@code millis} until every group without storage has been classified and
   * created; true if none is left. A fleet's members start together, so this normally takes
   * one round of questions; a member whose peers are down returns after the wait and creates
   * its groups once they answer.
   */
  public boolean awaitClassified(long millis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (!unclassified.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    return unclassified.isEmpty();
  }

  private void rejoin(RaftGroup g, int shard) throws IOException {
    elections(g, false);
    rejoining.put(g, shard);
    LOG.log(System.Logger.Level.WARNING, "member {0} rejoins shard {1} (group {2}) without "
        + "the storage it had: it does not vote until it has caught up with the leader",
        server.getId(), shard, g.getGroupId());
  }

  private synchronized void check() {
    boolean probe = ticks++ % PROBE_EVERY == 0;
    for (Map.Entry<RaftGroup, Integer> e : List.copyOf(unclassified.entrySet())) {
      RaftGroup g = e.getKey();
      try {
        Answer a = probe ? ask(g) : Answer.OPEN;
        if (a == Answer.NEW) {
          markers.clear(g.getGroupId());
          guard.release(g.getGroupId());
          adder.add(g);
          unclassified.remove(g);
          LOG.log(System.Logger.Level.INFO, "member {0} starts shard {1}: no member holds "
              + "any of it yet (a new fleet)", server.getId(), e.getValue());
        } else if (a == Answer.HELD) {
          adder.add(g);
          unclassified.remove(g);
          rejoin(g, e.getValue());
        }
      } catch (IOException | RuntimeException x) {
        LOG.log(System.Logger.Level.WARNING, "member " + server.getId() + " cannot start "
            + "shard " + e.getValue() + " yet", x);
      }
    }
    for (Map.Entry<RaftGroup, Integer> e : List.copyOf(rejoining.entrySet())) {
      RaftGroup g = e.getKey();
      try {
        String reason = caughtUp(server.getDivision(g.getGroupId()));
        if (reason != null) {
          markers.clear(g.getGroupId());
          guard.release(g.getGroupId());
          elections(g, true);
          rejoining.remove(g);
          LOG.log(System.Logger.Level.WARNING, "member {0} votes again in shard {1}: {2}",
              server.getId(), e.getValue(), reason);
        }
      } catch (IOException | RuntimeException x) {
        LOG.log(System.Logger.Level.DEBUG, "rejoin: shard " + e.getValue(), x);
      }
    }
    if (unclassified.isEmpty() && rejoining.isEmpty()) {
      timer.shutdown();
    }
  }

  /** Why the member may vote again in {@code d}'s group by the caught-up rule, or null. */
  static String caughtUp(RaftServer.Division d) {
    DivisionInfo info = d.getInfo();
    RaftPeerId leader = info.getLeaderId();
    if (!info.isFollower() || leader == null) {
      return null;
    }
    TermIndex applied = d.getStateMachine().getLastAppliedTermIndex();
    if (applied == null || applied.getIndex() < 0 || applied.getTerm() != info.getCurrentTerm()) {
      return null;
    }
    long leaderCommit = -1;
    for (CommitInfoProto c : d.getCommitInfos()) {
      if (RaftPeerId.valueOf(c.getServer().getId()).equals(leader)) {
        leaderCommit = c.getCommitIndex();
      }
    }
    if (leaderCommit < 0 || applied.getIndex() < leaderCommit) {
      return null;
    }
    return "caught up with leader " + leader + " at index " + applied.getIndex() + " of term "
        + applied.getTerm();
  }

  /** What the other members say about group {@code g}. */
  private Answer ask(RaftGroup g) {
    Answer out = Answer.NEW;
    try (RaftClient c = probes.get()) {
      for (RaftPeer p : g.getPeers()) {
        if (p.getId().equals(server.getId())) {
          continue;
        }
        GroupInfoReply r;
        try {
          if (!c.getGroupManagementApi(p.getId()).list().getGroupIds()
              .contains(g.getGroupId())) {
            continue; // up, and not hosting the group yet: it holds nothing of it
          }
          r = c.getGroupManagementApi(p.getId()).info(g.getGroupId());
        } catch (IOException | RuntimeException down) {
          out = Answer.OPEN; // down or unreachable
          continue;
        }
        if (!r.isSuccess()) {
          out = Answer.OPEN;
          continue;
        }
        LogInfoProto log = r.getLogInfoProto();
        if (log.hasLastEntry() || log.hasLastSnapshot() || log.hasCommitted()) {
          return Answer.HELD;
        }
      }
    } catch (IOException e) {
      return Answer.OPEN;
    }
    return out;
  }

  private void elections(RaftGroup g, boolean resume) throws IOException {
    ClientId client = ClientId.randomId();
    LeaderElectionManagementRequest r = resume
        ? LeaderElectionManagementRequest.newResume(client, server.getId(), g.getGroupId(),
            callId.incrementAndGet())
        : LeaderElectionManagementRequest.newPause(client, server.getId(), g.getGroupId(),
            callId.incrementAndGet());
    RaftClientReply reply = server.leaderElectionManagement(r);
    if (!reply.isSuccess()) {
      throw new IOException("cannot " + (resume ? "resume" : "pause") + " elections in "
          + g.getGroupId() + ": " + reply.getException());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
