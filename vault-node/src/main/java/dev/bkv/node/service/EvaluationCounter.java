package dev.bkv.node.service;

import dev.bkv.node.store.UserId;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts, per user, the HSM OPRF evaluations this member performed for logins since it started
 * (the metric behind the invariant "between two successes at most {@code maxAttempts}
 * evaluations", DESIGN §6). In-memory and per member: a fleet-wide figure is the sum over
 * members.
 */
public final class EvaluationCounter {
  private final Map<UserId, AtomicLong> logins = new ConcurrentHashMap<>();

  void countLogin(UserId user) {
    logins.computeIfAbsent(user, u -> new AtomicLong()).incrementAndGet();
  }

  public long logins(UserId user) {
    AtomicLong n = logins.get(user);
    return n == null ? 0 : n.get();
  }
}
