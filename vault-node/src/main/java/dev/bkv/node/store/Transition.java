package dev.bkv.node.store;

import dev.bkv.node.store.AuditEntry.Kind;
import dev.bkv.node.store.Outcome.Status;
import dev.bkv.seal.ResetKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The pure, deterministic rules of the record store: given what is stored for a user and a
 * command at a log index, what is stored afterwards and what the command answers.
 */
final class Transition {
  /** The state after the command, and its answer. {@code after} is null when nothing changed. */
  record Result(UserState after, Outcome outcome) {}

  private final int auditCapacity;
  private final ClosureReceipts.Check closures;

  Transition(int auditCapacity) {
    this(auditCapacity, ClosureReceipts.Check.NONE);
  }

  /** {@code closures} decides whether an {@link Command.Activate}'s receipts prove a closure. */
  Transition(int auditCapacity, ClosureReceipts.Check closures) {
    this.closures = java.util.Objects.requireNonNull(closures, "closures");
    if (auditCapacity < 1 || auditCapacity > UserState.MAX_AUDIT) {
      throw new IllegalArgumentException("audit capacity is " + auditCapacity + "; expected 1.."
          + UserState.MAX_AUDIT);
    }
    this.auditCapacity = auditCapacity;
  }

  Result apply(UserState before, Command command, long index) {
    return apply(before, command, index, KeyShares.NONE);
  }

  /**
   * {@code shares}: the key shares of the pending registration a {@link Command.Register} or
   * {@link Command.Replace} completes (the caller checked it is the one the command names).
   */
  Result apply(UserState before, Command command, long index, KeyShares shares) {
    if (command instanceof Command.Register c) {
      return register(before, c, index, shares);
    } else if (command instanceof Command.Replace c) {
      return replace(before, c, index, shares);
    } else if (command instanceof Command.Attempt c) {
      return attempt(before, c, index);
    } else if (command instanceof Command.Reset c) {
      return reset(before, c);
    } else if (command instanceof Command.Stage c) {
      return stage(before, c, index, shares);
    } else if (command instanceof Command.Close c) {
      return close(before, c);
    } else if (command instanceof Command.Activate c) {
      return activate(before, c);
    } else {
      return delete(before, (Command.Delete) command);
    }
  }

  private Result register(UserState before, Command.Register c, long index, KeyShares shares) {
    if (before instanceof UserState.Present p) {
      if (p.record().writtenBy(c.registrationId())) {
        return new Result(null, new Outcome(Status.OK, Optional.of(p.record())));
      }
      return new Result(null, Outcome.of(Status.EXISTS));
    }
    UserRecord rec = new UserRecord(c.userId(), c.content(), 0, c.attemptLimit(), c.epoch(),
        index, c.timeMillis(), c.timeMillis(), c.registrationId(),
        KeyState.fresh(shares, c.resetKey()));
    return present(rec, before, Kind.REGISTER, c.timeMillis());
  }

  /**
   * A registration staged for a migration: refused like a registration while a live record
   * exists, kept aside (answering no login) otherwise; a retry of the same registration is
   * answered as done.
   */
  private Result stage(UserState before, Command.Stage c, long index, KeyShares shares) {
    Command.Register reg = c.register();
    if (before instanceof UserState.Present p) {
      return new Result(null, p.record().writtenBy(reg.registrationId())
          ? new Outcome(Status.OK, Optional.of(p.record())) : Outcome.of(Status.EXISTS));
    }
    if (before instanceof UserState.Staged st && st.record().writtenBy(reg.registrationId())) {
      return new Result(null, new Outcome(Status.OK, Optional.of(st.record())));
    }
    UserRecord rec = new UserRecord(c.userId(), reg.content(), 0, reg.attemptLimit(),
        reg.epoch(), index, c.timeMillis(), c.timeMillis(), reg.registrationId(),
        KeyState.fresh(shares, reg.resetKey()));
    List<AuditEntry> audit = append(before.audit(),
        new AuditEntry(Kind.REGISTER, c.timeMillis(), 0, rec.attemptLimit()));
    return new Result(new UserState.Staged(rec, c.successor(), audit), Outcome.ok(rec));
  }

  /** After a login: the record closes in favour of its successor on the next fleet. */
  private Result close(UserState before, Command.Close c) {
    if (before instanceof UserState.Closed cl
        && java.util.Arrays.equals(cl.successor(), c.successor())) {
      return new Result(null, Outcome.of(Status.OK));
    }
    if (!(before instanceof UserState.Present p)) {
      return missing(before);
    }
    if (p.record().generation() != c.expectedGeneration()) {
      return new Result(null, Outcome.of(Status.CONFLICT));
    }
    UserRecord rec = p.record();
    return new Result(new UserState.Closed(rec.userId(), c.timeMillis(), rec.epoch(),
        rec.generation(), c.successor(), rec.attemptsUsed(), p.audit()), Outcome.of(Status.OK));
  }

  /**
   * The staged registration named by {@code successor} goes live with the attempts its closed
   * predecessor had used, if a majority of the earlier fleet's members signed that closure.
   */
  private Result activate(UserState before, Command.Activate c) {
    if (before instanceof UserState.Present) {
      return new Result(null, Outcome.of(Status.EXISTS));
    }
    if (!(before instanceof UserState.Staged st)) {
      return missing(before);
    }
    if (!java.util.Arrays.equals(st.successor(), c.successor())) {
      return new Result(null, Outcome.of(Status.CONFLICT));
    }
    List<ClosureReceipts.Receipt> receipts;
    try {
      receipts = ClosureReceipts.decode(c.receipts());
    } catch (MalformedMessageException e) {
      return new Result(null, Outcome.of(Status.UNPROVEN));
    }
    if (!closures.proves(c.userId(), c.successor(), c.attempts(), receipts)) {
      return new Result(null, Outcome.of(Status.UNPROVEN));
    }
    UserRecord rec = st.record();
    int used = Math.min(c.attempts(), rec.attemptLimit());
    UserRecord live = rec.withAttempts(used, c.timeMillis());
    return new Result(new UserState.Present(live, st.audit()), Outcome.ok(live));
  }

  private Result replace(UserState before, Command.Replace c, long index, KeyShares shares) {
    if (!(before instanceof UserState.Present p)) {
      return missing(before);
    }
    if (p.record().generation() != c.expectedGeneration()) {
      return new Result(null, Outcome.of(Status.CONFLICT));
    }
    UserRecord rec = new UserRecord(c.userId(), c.content(), 0, c.attemptLimit(), c.epoch(),
        index, p.record().createdAt(), c.timeMillis(), new byte[0],
        KeyState.fresh(shares, c.resetKey()));
    return present(rec, before, Kind.PASSWORD_CHANGE, c.timeMillis());
  }

  private Result attempt(UserState before, Command.Attempt c, long index) {
    if (before instanceof UserState.Locked l) {
      List<AuditEntry> audit = append(l.audit(),
          new AuditEntry(Kind.REFUSED_LOCKED, c.timeMillis(), 0, 0));
      return new Result(new UserState.Locked(l.userId(), l.lockedAt(), l.epoch(),
          l.generation(), audit), Outcome.of(Status.LOCKED));
    }
    if (!(before instanceof UserState.Present p)) {
      return new Result(null, Outcome.of(Status.UNKNOWN));
    }
    UserRecord rec = p.record();
    int used = rec.attemptsUsed() + 1;
    if (used > rec.attemptLimit()) {
      List<AuditEntry> audit = append(p.audit(),
          new AuditEntry(Kind.LOCKOUT, c.timeMillis(), used, rec.attemptLimit()));
      return new Result(new UserState.Locked(rec.userId(), c.timeMillis(), rec.epoch(),
          rec.generation(), audit), Outcome.of(Status.LOCKED));
    }
    return present(rec.withAttempt(used, c.timeMillis(), index, c.element()), before,
        Kind.ATTEMPT, c.timeMillis());
  }

  private Result reset(UserState before, Command.Reset c) {
    if (!(before instanceof UserState.Present p)) {
      return missing(before);
    }
    if (p.record().generation() != c.expectedGeneration()) {
      return new Result(null, Outcome.of(Status.CONFLICT));
    }
    UserRecord rec = p.record();
    if (!rec.shares().isEmpty() && !proven(rec, c)) {
      return new Result(null, Outcome.of(Status.UNPROVEN));
    }
    List<AuditEntry> audit = append(p.audit(),
        new AuditEntry(Kind.SUCCESS, c.timeMillis(), rec.attemptsUsed(), rec.attemptLimit()));
    UserRecord after = rec.afterReset(c.timeMillis());
    return new Result(new UserState.Present(after, audit), Outcome.ok(after));
  }

  /**
   * Whether the reset carries the record's reset-key signature for one of its attempts since the
   * last reset: no member can make one, so no member alone can give a record its attempts back
   * (DESIGN §10); one made before the last reset names an attempt no longer kept.
   */
  private static boolean proven(UserRecord rec, Command.Reset c) {
    byte[] key = rec.keys().resetKey();
    return key.length != 0 && c.attemptIndex() >= 0
        && rec.keys().attempt(c.attemptIndex()).isPresent()
        && ResetKey.verify(key, rec.userId().bytes(), c.attemptIndex(), c.signature());
  }

  private Result delete(UserState before, Command.Delete c) {
    if (!(before instanceof UserState.Present p)) {
      return missing(before);
    }
    if (p.record().generation() != c.expectedGeneration()) {
      return new Result(null, Outcome.of(Status.CONFLICT));
    }
    if (p.audit().stream().noneMatch(AuditEntry::isEvidence)) {
      return new Result(new UserState.Absent(), Outcome.of(Status.OK));
    }
    // The trail shows a lockout: keep it for whoever registers this id next.
    UserRecord rec = p.record();
    return new Result(new UserState.Absent(append(p.audit(), new AuditEntry(Kind.DELETE,
        c.timeMillis(), rec.attemptsUsed(), rec.attemptLimit()))), Outcome.of(Status.OK));
  }

  private Result present(UserRecord rec, UserState before, Kind kind, long time) {
    List<AuditEntry> audit = append(before.audit(),
        new AuditEntry(kind, time, rec.attemptsUsed(), rec.attemptLimit()));
    return new Result(new UserState.Present(rec, audit), Outcome.ok(rec));
  }

  private static Result missing(UserState before) {
    return new Result(null, Outcome.of(before instanceof UserState.Locked
        ? Status.LOCKED : Status.UNKNOWN));
  }

  /**
   * Appends {@code entry} and trims the trail to its capacity, oldest first, but dropping lockout
   * and delete events only when nothing else is left to drop: they are the evidence that keeps a
   * trail through a delete.
   */
  private List<AuditEntry> append(List<AuditEntry> audit, AuditEntry entry) {
    List<AuditEntry> out = new ArrayList<>(audit);
    out.add(entry);
    while (out.size() > auditCapacity) {
      int drop = 0;
      while (drop < out.size() - 1 && out.get(drop).isEvidence()) {
        drop++;
      }
      out.remove(drop == out.size() - 1 ? 0 : drop);
    }
    return out;
  }
}
