package dev.bkv.node.service;

import dev.bkv.ec.P256;
import dev.bkv.ec.Point;
import dev.bkv.evidence.ShareLayout;
import dev.bkv.node.raft.PeerAnswer;
import dev.bkv.node.raft.Query;
import dev.bkv.node.api.ChannelError.Reason;
import dev.bkv.node.store.KeyShares;
import dev.bkv.node.store.MalformedMessageException;
import dev.bkv.node.store.UserId;
import dev.bkv.recovery.BadInputException;
import dev.bkv.recovery.InternalFaultException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link UserOprf} of a fleet member: shares of the sets this member holds are generated and
 * evaluated in its own HSM ({@link ShareKeys}); the others by peers that hold them, over the
 * member channel ({@link Peers}), which answer only under the rules of {@link PeerEvaluator}.
 * A peer that fails is replaced by another holder of the same sets.
 */
final class FleetOprf implements UserOprf {
  private final ShareKeys keys;
  private final Peers peers;
  /** When each peer last failed to answer (nanoTime): it is asked last for a while. */
  private final Map<String, Long> failedAt = new java.util.concurrent.ConcurrentHashMap<>();
  private static final long SHUNNED_NANOS = 10_000_000_000L;

  FleetOprf(ShareKeys keys, Peers peers) {
    this.keys = keys;
    this.peers = peers;
  }

  private ShareLayout layout() {
    return keys.layout();
  }

  @Override
  public KeyShares newShares(UserId user) throws ServiceException {
    List<KeyShares.Share> out = new ArrayList<>();
    for (ShareLayout.ShareSet set : layout().sets()) {
      if (keys.heldSets().contains(set.name())) {
        out.add(local(() -> keys.generate(set.name())));
        continue;
      }
      out.add(generateAtPeer(user, set));
    }
    return new KeyShares(out);
  }

  private KeyShares.Share generateAtPeer(UserId user, ShareLayout.ShareSet set)
      throws ServiceException {
    String failures = "";
    for (String holder : holders(user, Set.of(set.name()))) {
      try {
        PeerAnswer a = peers.ask(holder, user, new Query.Generate(user, set.name()));
        if (a.status() == PeerAnswer.Status.OK && a.entries().size() == 1) {
          KeyShares.Share s = KeyShares.parse(a.entries().get(0).value()).shares().get(0);
          if (s.set().equals(set.name())) {
            return s;
          }
        }
        failures += " " + holder + ": " + describe(a) + ";";
      } catch (ServiceException e) {
        failedAt.put(holder, System.nanoTime());
        failures += " " + holder + ": " + e.getMessage() + ";";
      } catch (MalformedMessageException | IndexOutOfBoundsException e) {
        failures += " " + holder + ": " + e.getMessage() + ";";
      }
    }
    throw new ServiceException(Reason.UNAVAILABLE, "no member holding share set " + set.name()
        + " generated a share for " + user + ":" + failures);
  }

  @Override
  public Point evaluate(UserId user, Query.Purpose purpose, long index, Point b,
      KeyShares shares, BeforeHsm beforeHsm) throws ServiceException {
    Set<String> sets = new LinkedHashSet<>();
    for (KeyShares.Share s : shares.shares()) {
      sets.add(s.set());
    }
    Set<String> expected = new LinkedHashSet<>();
    layout().sets().forEach(s -> expected.add(s.name()));
    if (!sets.equals(expected)) {
      throw new ServiceException(Reason.FAULT, "the shares of " + user + " are for sets " + sets
          + " but the fleet's layout has " + expected);
    }
    List<KeyShares.Share> mine = shares.shares().stream()
        .filter(s -> keys.heldSets().contains(s.set())).toList();
    Set<String> missing = new LinkedHashSet<>(sets);
    mine.forEach(s -> missing.remove(s.set()));
    Point sum = null;
    while (!missing.isEmpty()) {
      Point partial = null;
      String failures = "";
      for (String peer : holders(user, missing)) {
        List<String> ask = covered(peer, missing);
        try {
          PeerAnswer a = peers.ask(peer, user, new Query.Partial(user, purpose, index,
              b.toCompressed(), ask));
          if (a.status() != PeerAnswer.Status.OK) {
            failures += " " + peer + ": " + describe(a) + ";";
            continue;
          }
          partial = add(null, points(a, ask, peer));
          missing.removeAll(ask);
          break;
        } catch (ServiceException e) {
          failedAt.put(peer, System.nanoTime());
          failures += " " + peer + ": " + e.getMessage() + ";";
        }
      }
      if (partial == null) {
        throw new ServiceException(Reason.UNAVAILABLE, "no member evaluated share sets "
            + missing + " of " + user + " at index " + index + ":" + failures);
      }
      sum = add(sum, partial);
    }
    beforeHsm.run();
    return add(sum, local(() -> keys.evaluateAll(mine, b)));
  }

  @Override
  public void evaluateUnknown(UserId user, long index, Point b, BeforeHsm beforeHsm)
      throws ServiceException {
    Set<String> missing = new LinkedHashSet<>();
    layout().sets().forEach(s -> missing.add(s.name()));
    missing.removeAll(keys.heldSets());
    for (String peer : missing.isEmpty() ? List.<String>of() : holders(user, missing)) {
      try {
        peers.ask(peer, user, new Query.Partial(user, Query.Purpose.LOGIN, index,
            b.toCompressed(), covered(peer, missing)));
        break;
      } catch (ServiceException e) {
        failedAt.put(peer, System.nanoTime());
        // The answer is discarded anyway; try the next peer for the same round trip.
      }
    }
    beforeHsm.run();
    for (String set : keys.heldSets()) {
      local(() -> {
        keys.evaluateThrowaway(set, b);
        return null;
      });
    }
  }

  /**
   * Peers (not this member) holding at least one of {@code sets}: those that answered lately
   * first, then the shard's leader (it has the newest commits), then most sets first.
   */
  private List<String> holders(UserId user, Set<String> sets) {
    List<String> out = new ArrayList<>();
    for (String m : layout().members()) {
      if (!m.equals(keys.memberId()) && !covered(m, sets).isEmpty()) {
        out.add(m);
      }
    }
    long now = System.nanoTime();
    String leader = peers.leader(user).orElse("");
    out.sort(java.util.Comparator.<String>comparingInt(m -> shunned(m, now) ? 1 : 0)
        .thenComparingInt(m -> m.equals(leader) ? 0 : 1)
        .thenComparingInt(m -> -covered(m, sets).size()));
    return out;
  }

  private boolean shunned(String member, long now) {
    Long t = failedAt.get(member);
    return t != null && now - t < SHUNNED_NANOS;
  }

  private List<String> covered(String member, Set<String> sets) {
    return sets.stream().filter(s -> layout().set(s).heldBy(member)).toList();
  }

  private static List<Point> points(PeerAnswer a, List<String> asked, String peer)
      throws ServiceException {
    if (a.entries().size() != asked.size()) {
      throw new ServiceException(Reason.FAULT, "member " + peer + " answered "
          + a.entries().size() + " partials for " + asked.size() + " sets");
    }
    List<Point> out = new ArrayList<>();
    for (int i = 0; i < asked.size(); i++) {
      PeerAnswer.Entry e = a.entries().get(i);
      if (!e.set().equals(asked.get(i))) {
        throw new ServiceException(Reason.FAULT, "member " + peer + " answered set " + e.set()
            + " for " + asked.get(i));
      }
      try {
        out.add(P256.decodeCompressed(e.value(), "partial of set " + e.set()));
      } catch (BadInputException ex) {
        throw new ServiceException(Reason.FAULT, "member " + peer + " sent a bad partial: "
            + ex.getMessage(), ex);
      }
    }
    return out;
  }

  private static Point add(Point sum, List<Point> points) throws ServiceException {
    for (Point p : points) {
      sum = add(sum, p);
    }
    return sum;
  }

  private static Point add(Point sum, Point p) throws ServiceException {
    if (sum == null) {
      return p;
    }
    return sum.add(p).orElseThrow(() -> new ServiceException(Reason.FAULT,
        "partial evaluations summed to the identity"));
  }

  private static String describe(PeerAnswer a) {
    return a.status() + (a.message().isEmpty() ? "" : " (" + a.message() + ")");
  }

  private interface HsmWork<T> {
    T run() throws InternalFaultException;
  }

  private static <T> T local(HsmWork<T> work) throws ServiceException {
    try {
      return work.run();
    } catch (InternalFaultException e) {
      throw new ServiceException(Reason.FAULT, e.getMessage(), e);
    }
  }
}
