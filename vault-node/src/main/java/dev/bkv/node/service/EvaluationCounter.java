package dev.bkv.node.service;

import dev.bkv.node.store.UserId;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts, per user, the HSM OPRF evaluations this member performed for logins since it started
 * (the metric behind the invariant "between two successes at most {@code maxAttempts}
 * evaluations", DESIGN §6). In-memory and per member: a fleet-wide figure is the sum over
 * members.
 *
 * <p>With {@code node.evaluation-log} set, every evaluation is also appended to that file
 * <em>before</em> the HSM is asked, tagged with the Raft log index of the committed attempt it
 * spends, and every successful login with the index of its committed reset. The lines survive
 * a crash of the member process (they are written, not fsynced: a power loss may drop the
 * last ones). Format, one event a line:
 *
 * <pre>
 * login &lt;user hex&gt; &lt;attempt index&gt; &lt;attempts used&gt;/&lt;limit&gt;   (unknown user: "-")
 * success &lt;user hex&gt; &lt;reset index&gt;
 * partial login|registration &lt;user hex&gt; &lt;index&gt; &lt;shares&gt;   (for another member)
 * </pre>
 *
 * Auditors can replay it against the replicated record: every {@code login} index names a
 * committed attempt, no index appears twice, and between two successes a user has at most
 * {@code limit} lines.
 *
 * <p>Past {@code node.evaluation-log.max-bytes} the file rotates ({@link EvaluationLogFile}):
 * each new file starts with a {@code previous} line naming the one before, its SHA-256 and line
 * count, and {@link EvaluationLogChain} reads all of them in order or says which is missing.
 */
public final class EvaluationCounter implements AutoCloseable {
  private final Map<UserId, AtomicLong> logins = new ConcurrentHashMap<>();
  private final EvaluationLogFile log;

  /** In-memory counting only. */
  public EvaluationCounter() {
    this.log = null;
  }

  /** Also appends each event to {@code logFile} (created if missing), rotating at the default. */
  public EvaluationCounter(Path logFile) throws IOException {
    this(logFile, EvaluationLogFile.DEFAULT_MAX_BYTES);
  }

  /**
   * Also appends each event to {@code logFile} (created if missing), rotating it once it holds
   * {@code maxBytes} (0: never).
   */
  public EvaluationCounter(Path logFile, long maxBytes) throws IOException {
    this.log = logFile == null ? null : EvaluationLogFile.open(logFile, maxBytes);
  }

  /**
   * Called after the attempt committed at {@code attemptIndex} and before the HSM evaluates.
   * {@code attemptsUsed} and {@code limit} are the record's after that attempt; both are -1 for
   * a user without a record.
   */
  void countLogin(UserId user, long attemptIndex, int attemptsUsed, int limit)
      throws IOException {
    append("login " + hex(user) + " " + attemptIndex + " "
        + (attemptsUsed < 0 ? "-" : attemptsUsed + "/" + limit));
    logins.computeIfAbsent(user, u -> new AtomicLong()).incrementAndGet();
  }

  /**
   * Called before this member evaluates key shares for another member (DESIGN §10): {@code
   * purpose} {@code login} or {@code registration}, the log index of the attempt or begin, and
   * how many shares.
   */
  void countPartial(UserId user, String purpose, long index, int shares) throws IOException {
    append("partial " + purpose + " " + hex(user) + " " + index + " " + shares);
  }

  /** Called after a successful login's reset committed at {@code resetIndex}. */
  void countSuccess(UserId user, long resetIndex) throws IOException {
    append("success " + hex(user) + " " + resetIndex);
  }

  public long logins(UserId user) {
    AtomicLong n = logins.get(user);
    return n == null ? 0 : n.get();
  }

  private void append(String line) throws IOException {
    if (log != null) {
      log.append(line);
    }
  }

  private static String hex(UserId user) {
    return HexFormat.of().formatHex(user.bytes());
  }

  @Override
  public void close() throws IOException {
    if (log != null) {
      log.close();
    }
  }
}
