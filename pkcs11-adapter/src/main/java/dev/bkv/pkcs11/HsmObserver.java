package dev.bkv.pkcs11;

/**
 * Hears of every operation a {@link Pkcs11Token} runs on the module, for metrics. Called on the
 * thread that ran the operation, after it finished; must be fast and must not throw.
 *
 * <p>What it is told carries no key material, PIN or data: the operation's kind is the first
 * word of the adapter's description ({@code ecdh}, {@code wrapping}, {@code finding} …), never
 * a key label.
 */
@FunctionalInterface
public interface HsmObserver {
  /** Observes nothing. */
  HsmObserver NONE = (operation, nanos, outcome) -> { };

  /** Result name for an operation the module completed. */
  String OK = "CKR_OK";
  /** Result name for a lookup that found no such object (not a module error). */
  String NOT_FOUND = "NOT_FOUND";
  /** Result name for a failure the adapter detected itself (no {@code CKR_*} involved). */
  String ADAPTER_ERROR = "ADAPTER_ERROR";

  /**
   * One finished operation.
   *
   * @param operation lower-case kind, {@code [a-z0-9-]+} (e.g. {@code aes-gcm}), or {@code
   *     other}
   * @param nanos wall time including session borrowing and one retry after a lost session
   * @param outcome {@link #OK}, the module's {@code CKR_*} name, {@link #NOT_FOUND} or {@link
   *     #ADAPTER_ERROR}
   */
  void completed(String operation, long nanos, String outcome);

  /** The kind of an adapter operation description: its first word, lower-cased. */
  static String kind(String what) {
    if (what == null) {
      return "other";
    }
    int end = 0;
    while (end < what.length() && end < 24 && what.charAt(end) < 128
        && (Character.isLetterOrDigit(what.charAt(end)) || what.charAt(end) == '-')) {
      end++;
    }
    return end == 0 ? "other" : what.substring(0, end).toLowerCase(java.util.Locale.ROOT);
  }
}
