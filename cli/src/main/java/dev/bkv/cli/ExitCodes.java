package dev.bkv.cli;

/**
 * The exit codes every {@code bkv} subcommand uses. They are listed in {@code bkv --help}, so
 * scripts can branch on them.
 */
public final class ExitCodes {
  /** The command did what was asked. */
  public static final int OK = 0;
  /** A check ran and failed (a verification, a comparison against live tokens). */
  public static final int CHECK_FAILED = 1;
  /** The command line itself is wrong: unknown option, missing argument. */
  public static final int USAGE = 2;
  /** A config file, key file or input file is missing, unreadable or malformed. */
  public static final int BAD_INPUT = 3;
  /** The HSM or PKCS#11 module refused or failed (wrong PIN, token missing, CKR_* error). */
  public static final int HSM = 4;
  /** Something named on the command line does not exist (token label, key label). */
  public static final int NOT_FOUND = 5;
  /** Authentication failed: a MAC, tag or signature did not verify, or a password was wrong. */
  public static final int AUTHENTICATION = 6;
  /** A peer (node, cosigner) could not be reached or did not answer in time. */
  public static final int UNAVAILABLE = 7;
  /** Two different signed validation bundles for one epoch: report it, never retry it away. */
  public static final int EQUIVOCATION = 8;
  /**
   * Run the same command again: the login session expired or the record changed while the
   * command ran (the fleet's {@code NO_SESSION} and {@code CHANGED}).
   */
  public static final int RETRY = 9;
  /** A bug or an unexpected fault in bkv itself; rerun with --verbose and report it. */
  public static final int INTERNAL = 70;

  private ExitCodes() {}

  /** The exit-code list shown at the end of every command's help. */
  static final String[] HELP_LIST = {
    OK + ":ok",
    CHECK_FAILED + ":a verification or check failed",
    USAGE + ":wrong command line",
    BAD_INPUT + ":a config, key or input file is missing or malformed",
    HSM + ":the HSM or PKCS#11 module failed (message names the CKR_* code)",
    NOT_FOUND + ":a named token, key or record does not exist",
    AUTHENTICATION + ":authentication failed (MAC, tag, signature or password)",
    UNAVAILABLE + ":a node or cosigner could not be reached",
    EQUIVOCATION + ":EQUIVOCATION: two different signed bundles for one epoch",
    RETRY + ":run it again: the login session expired or the record changed meanwhile",
    INTERNAL + ":internal fault in bkv (rerun with --verbose and report it)",
  };
}
