package dev.bkv.client;

import com.google.protobuf.ByteString;
import dev.bkv.client.FleetSession.Rpc;
import dev.bkv.node.api.ActivateRequest;
import dev.bkv.node.api.ActivateResponse;
import dev.bkv.node.api.ClosureReceipt;
import dev.bkv.node.api.ClosureReceiptRequest;
import dev.bkv.node.api.DeleteRequest;
import dev.bkv.node.api.DeleteResponse;
import dev.bkv.node.api.LoginBinding;
import dev.bkv.node.api.MigrationDigest;
import dev.bkv.node.api.RegisterFinishRequest;
import dev.bkv.node.api.RegisterFinishResponse;
import dev.bkv.recovery.SecretBytes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Moves one user's record from the previous fleet epoch to the current one (DESIGN §11), in an
 * order that leaves the user, after a crash at any point, able to recover from one fleet or the
 * other and never holding two records that both answer logins:
 *
 * <ol>
 *   <li>log in on the previous fleet (the user's key is recovered here);
 *   <li>stage a registration of the same key and password on the current fleet: kept, but it
 *       answers no login;
 *   <li>close the previous record (bound to that login), naming the staged registration: it
 *       answers no login from now on and keeps the attempts it had used;
 *   <li>collect closure receipts from a majority of the previous fleet's members and activate
 *       the staged registration with them: it goes live with those attempts used.
 * </ol>
 *
 * A move that stopped after step 3 is finished by {@link #finish} (the receipts can be fetched
 * again at any time); one that stopped before leaves the previous record live.
 */
final class FleetMigration {
  private static final int RECEIPT_ROUNDS = 10;
  private static final long RECEIPT_PAUSE_MS = 200;

  private final VaultClient from;
  private final VaultClient to;
  private final byte[] user;

  FleetMigration(VaultClient from, VaultClient to, byte[] user) {
    this.from = from;
    this.to = to;
    this.user = user.clone();
  }

  /** Steps 1–3 done: the recovered key, and whether the previous record was (maybe) closed. */
  record Closing(RecoveredKey key, boolean closed) {}

  /** Steps 1–4; the key is returned even when a later step fails (the next recover retries). */
  RecoveredKey recoverAndMigrate(byte[] password) throws VaultClientException {
    Closing c = recoverAndClose(password);
    if (c.closed()) {
      try {
        finish();
      } catch (VaultClientException e) {
        // the next recover finishes the move: the previous fleet keeps signing receipts
      }
    }
    return c.key();
  }

  /** Steps 1–3 (a move interrupted before its activation stops here). */
  Closing recoverAndClose(byte[] password) throws VaultClientException {
    boolean[] closed = {false};
    RecoveredKey key = from.withFailover(user, s -> {
      LoginFlow.Done d = LoginFlow.run(s, from.suite(), from.trust(), VaultClient.label(user),
          password, from.random());
      try {
        byte[] successor;
        try {
          successor = stage(password, d.backupKey());
        } catch (VaultClientException e) {
          return new RecoveredKey(d.backupKey(), d.audit()); // stays on the previous fleet
        }
        byte[] binding = LoginBinding.close(d.bindingKey(), d.loginToken(), successor);
        try {
          s.call(Rpc.DELETE, DeleteRequest.newBuilder()
              .setLoginToken(ByteString.copyFrom(d.loginToken()))
              .setBinding(ByteString.copyFrom(binding))
              .setSuccessor(ByteString.copyFrom(successor)).build(), DeleteResponse.parser());
          closed[0] = true;
        } catch (UnavailableException e) {
          closed[0] = true; // it may have been committed: finishing is safe either way
        } catch (VaultClientException e) {
          // refused (e.g. the record changed since the login): it stays on the previous fleet
        }
        return new RecoveredKey(d.backupKey(), d.audit());
      } finally {
        d.bindingKey().destroy();
      }
    });
    return new Closing(key, closed[0]);
  }

  /** Step 2: returns the staged registration's successor digest. */
  private byte[] stage(byte[] password, SecretBytes backupKey) throws VaultClientException {
    byte[] registrationId = new byte[VaultClient.REGISTRATION_ID_LENGTH];
    to.random().nextBytes(registrationId);
    return to.withFailover(user, s -> {
      RegistrationFlow.Upload u = RegistrationFlow.prepare(s, to.suite(), to.trust(), password,
          backupKey, to.random());
      s.call(Rpc.REGISTER_FINISH, RegisterFinishRequest.newBuilder()
          .setSessionId(u.sessionId()).setRegistrationRecord(u.record())
          .setSealedKey(u.sealedKey()).setRegistrationId(ByteString.copyFrom(registrationId))
          .setResetKey(u.resetKey()).setStaged(true).build(), RegisterFinishResponse.parser());
      return MigrationDigest.of(user, u.record().toByteArray(), registrationId,
          u.resetKey().toByteArray());
    });
  }

  /**
   * Step 4: activates the staged registration if a majority of the previous fleet's members
   * vouch that the record is closed; false if they do not (it never was, or it is still live)
   * or if the current fleet already has a live record (the move was finished before).
   */
  boolean finish() throws VaultClientException {
    List<ClosureReceipt> receipts = receipts();
    if (receipts.isEmpty()) {
      return false;
    }
    ClosureReceipt first = receipts.get(0);
    try {
      to.withFailover(user, s -> s.call(Rpc.ACTIVATE, ActivateRequest.newBuilder()
          .setSuccessor(first.getSuccessor()).setAttempts(first.getAttempts())
          .addAllReceipts(receipts).build(), ActivateResponse.parser()));
      return true;
    } catch (RejectedException e) {
      if (e.reason() == Rejection.EXISTS) {
        return false;
      }
      throw e;
    }
  }

  /**
   * Receipts agreeing on one closure from more than half of the previous fleet's members
   * (asked one by one; a member that has not applied the close yet is asked again), or none.
   */
  private List<ClosureReceipt> receipts() throws VaultClientException {
    int n = from.memberCount();
    Map<Integer, ClosureReceipt> got = new HashMap<>();
    boolean anyClosed = false;
    for (int round = 0; round < RECEIPT_ROUNDS; round++) {
      for (int i = 0; i < n; i++) {
        if (got.containsKey(i)) {
          continue;
        }
        try {
          got.put(i, from.atMember(i, user, s -> s.call(Rpc.CLOSURE_RECEIPT,
              ClosureReceiptRequest.getDefaultInstance(), ClosureReceipt.parser())));
          anyClosed = true;
        } catch (RejectedException | UnavailableException e) {
          // not closed on this replica (yet), or the member is down
        }
      }
      List<ClosureReceipt> agreeing = agreeing(got);
      if (agreeing.size() > n / 2) {
        return agreeing;
      }
      if (!anyClosed && round >= 1) {
        return List.of(); // nobody has a closed record: nothing to finish
      }
      try {
        Thread.sleep(RECEIPT_PAUSE_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new UnavailableException("interrupted while collecting closure receipts", e);
      }
    }
    throw new UnavailableException("only " + agreeing(got).size() + " of " + n + " members of "
        + "the previous fleet signed the closure of this record; a majority must", null);
  }

  /** The largest group of receipts naming the same successor and attempts. */
  private static List<ClosureReceipt> agreeing(Map<Integer, ClosureReceipt> got) {
    Map<String, List<ClosureReceipt>> groups = new HashMap<>();
    for (ClosureReceipt r : got.values()) {
      groups.computeIfAbsent(HexFormat.of().formatHex(r.getSuccessor().toByteArray()) + "/"
          + r.getAttempts(), k -> new ArrayList<>()).add(r);
    }
    return groups.values().stream().max((a, b) -> a.size() - b.size()).orElse(List.of());
  }
}
