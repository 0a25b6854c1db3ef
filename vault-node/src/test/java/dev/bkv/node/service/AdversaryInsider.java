package dev.bkv.node.service;

import dev.bkv.crypto.Sha256;
import dev.bkv.ec.P256;
import dev.bkv.ec.Point;
import dev.bkv.ec.Scalar;
import dev.bkv.node.raft.PeerAnswer;
import dev.bkv.node.raft.Query;
import dev.bkv.node.raft.ReplicatedRecords.Committed;
import dev.bkv.node.raft.ReplicatedStore;
import dev.bkv.node.store.Command;
import dev.bkv.node.store.Outcome;
import dev.bkv.node.store.UserId;
import dev.bkv.node.store.UserState;
import dev.bkv.recovery.SecretBytes;
import dev.bkv.seal.ResetKey;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * The compromised member of an adversarial run (DESIGN §10): member m1's host, in the attacker's
 * hands, with its Raft credential. Each round it may commit attempts against a user and ask the
 * other members for partials on them, ask again for an attempt already answered, ask for a
 * partial on an element the attempt did not commit, and commit resets it cannot prove. Answers
 * the rules forbid are violations; every partial it gets shows in the honest members'
 * evaluation logs, where the guess-limit checks count it.
 */
final class AdversaryInsider {
  private final ReplicatedStore asM1;
  private final List<String> peers;
  private final AdversaryReport report;

  AdversaryInsider(ReplicatedStore asM1, List<String> ids, AdversaryReport report) {
    this.asM1 = asM1;
    this.peers = ids.stream().filter(m -> !m.equals("m1")).toList();
    this.report = report;
  }

  /** One round's insider actions against {@code user}, drawn from {@code rnd}. */
  Object act(Random rnd, String user) {
    UserId id = new UserId(user.getBytes(StandardCharsets.UTF_8));
    try {
      Point b = P256.multiplyGenerator(Scalar.random(new java.security.SecureRandom()));
      Committed a = asM1.commit(new Command.Attempt(id, System.currentTimeMillis(),
          Sha256.hash(b.toCompressed())));
      report.count(report.outcomes, "insider attempt: " + a.outcome().status());
      String peer = peers.get(rnd.nextInt(peers.size()));
      PeerAnswer first = ask(peer, id, a.index(), b);
      report.count(report.outcomes, "insider partial: " + first.status());
      if (first.status() == PeerAnswer.Status.OK) {
        if (ask(peer, id, a.index(), b).status() == PeerAnswer.Status.OK) {
          report.violation(peer + " answered the insider's attempt " + a.index() + " of " + user
              + " twice");
        }
        Point other = P256.multiplyGenerator(Scalar.random(new java.security.SecureRandom()));
        if (ask(peers.get(rnd.nextInt(peers.size())), id, a.index(), other).status()
            == PeerAnswer.Status.OK) {
          report.violation("a member evaluated " + user + "'s attempt " + a.index()
              + " on an element it did not commit");
        }
      }
      if (rnd.nextInt(3) == 0 && asM1.get(id) instanceof UserState.Present p) {
        byte[] sig = ResetKey.fromExportKey(SecretBytes.copyOf(new byte[] {(byte) rnd.nextInt()}))
            .sign(id.bytes(), Math.max(0, p.record().keys().lastAttempt()));
        Outcome o = asM1.commit(new Command.Reset(id, System.currentTimeMillis(),
            p.record().generation(), Math.max(0, p.record().keys().lastAttempt()), sig))
            .outcome();
        report.count(report.outcomes, "insider forged reset: " + o.status());
        if (o.status() == Outcome.Status.OK) {
          report.violation("a reset the insider forged for " + user + " was applied");
        }
      }
    } catch (Exception e) {
      // Faults strike the members it talks to as well: what it did not get, it did not get.
      report.count(report.outcomes, "insider: " + e.getClass().getSimpleName());
    }
    return null;
  }

  private PeerAnswer ask(String peer, UserId id, long index, Point b) throws Exception {
    return asM1.askPeer(peer, id, new Query.Partial(id, Query.Purpose.LOGIN, index,
        b.toCompressed(), List.of("m1")));
  }
}
