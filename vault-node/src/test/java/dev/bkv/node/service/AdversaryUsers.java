package dev.bkv.node.service;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.bkv.client.VaultClient;
import dev.bkv.client.VaultClientException;
import dev.bkv.node.store.UserId;
import dev.bkv.recovery.SecretBytes;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The users of an adversarial run: honest users (wrong and correct logins), one attacker target
 * (wrong guesses until it locks, then replaced), one user that logs in only through the split
 * login (so its attempt counter moves only with it), and registrations whose answer was lost.
 * Every user ever made is kept for the scan of the member logs.
 */
final class AdversaryUsers {
  /** A user with its password and backup key. */
  record User(String name, String password, SecretBytes key) {
    byte[] id() {
      return name.getBytes(UTF_8);
    }

    UserId userId() {
      return new UserId(id());
    }

    /** The user id in hex, as the evaluation logs name it. */
    String hex() {
      return HexFormat.of().formatHex(id());
    }
  }

  private final long seed;
  private final AdversaryReport report;
  private final SecureRandom rng = new SecureRandom();
  final List<User> honest = new ArrayList<>();
  final Map<String, User> unacknowledged = new LinkedHashMap<>();
  final List<User> everyone = new ArrayList<>();
  User attacker;
  User splitter;
  private int serial;

  AdversaryUsers(long seed, AdversaryReport report) {
    this.seed = seed;
    this.report = report;
  }

  /** Registers three honest users, the attacker target and the split-login user. */
  void setUp(VaultClient c) throws VaultClientException {
    for (int i = 0; i < 3; i++) {
      honest.add(register(c, "honest"));
    }
    attacker = register(c, "target");
    splitter = register(c, "split");
  }

  /** A new user of {@code kind}, registered and acknowledged. */
  User register(VaultClient c, String kind) throws VaultClientException {
    User u = newUser(kind);
    c.register(u.id(), u.password().getBytes(UTF_8), u.key());
    report.registrationsAcknowledged++;
    return u;
  }

  /** A new user of {@code kind}, not registered yet. */
  synchronized User newUser(String kind) {
    byte[] k = new byte[32];
    rng.nextBytes(k);
    String name = kind + "-" + seed + "-" + (++serial);
    // The password must not be guessable from the user name: the log scan looks for it.
    User u = new User(name, "pw-" + HexFormat.of().formatHex(rng.generateSeed(12)),
        SecretBytes.copyOf(k));
    everyone.add(u);
    return u;
  }

  /** Whom the checks look at: honest, attacker, splitter and unacknowledged registrations. */
  List<User> checked() {
    List<User> users = live();
    users.addAll(unacknowledged.values());
    return users;
  }

  /** Every user expected to have a record now. */
  List<User> live() {
    List<User> users = new ArrayList<>(honest);
    users.add(attacker);
    users.add(splitter);
    return users;
  }

  /** A password no user has. */
  String wrongPassword() {
    return "wrong-" + rng.nextInt();
  }
}
