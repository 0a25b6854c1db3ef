package dev.bkv.node.service;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.protobuf.ByteString;
import dev.bkv.client.ChannelCalls;
import dev.bkv.client.Endpoint;
import dev.bkv.client.RejectedException;
import dev.bkv.client.UnavailableException;
import dev.bkv.client.VaultClient;
import dev.bkv.client.VaultClientException;
import dev.bkv.client.WrongPasswordException;
import dev.bkv.node.api.RecoverFinishRequest;
import dev.bkv.node.api.RecoverStartRequest;
import dev.bkv.node.api.RecoverStartResponse;
import dev.bkv.node.api.Tls;
import dev.bkv.node.raft.ReplicatedStore;
import dev.bkv.node.raft.ReplicationException;
import dev.bkv.node.service.AdversaryUsers.User;
import dev.bkv.node.store.UserState;
import dev.bkv.node.testing.Polling;
import dev.bkv.opaque.ClientLogin;
import dev.bkv.opaque.Identities;
import dev.bkv.opaque.Ke2;
import dev.bkv.recovery.AuthenticationFailedException;
import dev.bkv.recovery.SecretBytes;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * What the clients of an adversarial run do while faults strike: guesses and logins through
 * {@link VaultClient}, and one login split by hand so that a fault can land between its steps.
 * Each outcome is counted in the report; an answer that breaks the protocol is a violation.
 */
final class AdversaryWorkload {
  private final VaultFleet fleet;
  private final ReplicatedStore store;
  private final AdversaryReport report;
  private final AdversaryUsers users;
  private final SecureRandom rng = new SecureRandom();

  AdversaryWorkload(VaultFleet fleet, ReplicatedStore store, AdversaryReport report,
      AdversaryUsers users) {
    this.fleet = fleet;
    this.store = store;
    this.report = report;
    this.users = users;
  }

  /** One login through the client with the right or a wrong password. */
  Object guess(VaultClient client, User u, boolean correct, String what) {
    byte[] pw = (correct ? u.password() : users.wrongPassword()).getBytes(UTF_8);
    String o;
    try {
      SecretBytes k = client.recover(u.id(), pw);
      if (!correct) {
        report.violation("a wrong password recovered " + u.name());
      } else if (!k.equalsConstantTime(u.key())) {
        report.violation("recovery of " + u.name() + " returned another key");
      }
      o = "recovered";
    } catch (WrongPasswordException e) {
      if (correct) {
        report.violation("the right password of " + u.name() + " was answered as wrong");
      }
      o = "wrong password";
    } catch (VaultClientException e) {
      o = e.getClass().getSimpleName();
    }
    report.count(report.outcomes, what + ": " + o);
    return null;
  }

  /**
   * One login split by hand: KE1 at one member; {@code afterKe1} runs once KE1 is sent; then
   * KE2, {@code between}, and KE3 at the same member. Returns the outcome for the report.
   *
   * <p>This is not a copy of the client library's {@code LoginFlow}: each call goes through
   * {@link ChannelCalls} (the client's own fleet-channel code, one inner request at a time),
   * and OPAQUE is {@link ClientLogin}. What is the test's own is only the order of the steps
   * and the hooks between them, which {@code VaultClient} does not expose.
   */
  String splitLogin(Endpoint at, User u, Runnable afterKe1, Runnable between) throws Exception {
    ManagedChannel ch = Grpc.newChannelBuilderForAddress(at.host(), at.port(),
        Tls.client(fleet.caPem())).build();
    try {
      ChannelCalls calls = fleet.calls(ch).withDeadline(Duration.ofSeconds(4));
      byte[] user = u.id();
      ClientLogin login = ClientLogin.start(VaultFleet.suite(), u.password().getBytes(UTF_8),
          rng);
      RecoverStartResponse start;
      CompletableFuture<RecoverStartResponse> pending = CompletableFuture.supplyAsync(() -> {
        try {
          return calls.recoverStart(user, RecoverStartRequest.newBuilder()
              .setKe1(ByteString.copyFrom(login.ke1().toBytes())).build());
        } catch (VaultClientException e) {
          throw new CompletionException(e);
        }
      });
      afterKe1.run();
      try {
        start = pending.get();
      } catch (ExecutionException e) {
        between.run();
        return "KE1 " + outcome(e.getCause());
      }
      if (start.hasLocked()) {
        between.run();
        return "locked";
      }
      ClientLogin.Result res;
      try {
        res = login.finish(Ke2.parse(start.getKe2().getKe2().toByteArray()), Identities.NONE);
      } catch (AuthenticationFailedException e) {
        report.violation("the right password of " + u.name() + " failed KE2 at " + at);
        return "KE2 did not verify";
      }
      between.run();
      try {
        calls.recoverFinish(user, RecoverFinishRequest.newBuilder()
            .setSessionId(start.getKe2().getSessionId())
            .setKe3(ByteString.copyFrom(res.ke3().toBytes())).build());
        return "recovered";
      } catch (StatusRuntimeException | VaultClientException e) {
        return "KE3 " + outcome(e);
      } finally {
        res.sessionKey().destroy();
        res.exportKey().destroy();
      }
    } finally {
      ch.shutdownNow();
    }
  }

  /** A failed call's status: the gRPC code, or the code a refusal in the channel carried. */
  private static String outcome(Throwable e) {
    if (e instanceof StatusRuntimeException sre) {
      return sre.getStatus().getCode().toString();
    }
    if (e instanceof RejectedException r) {
      return r.code();
    }
    if (e instanceof UnavailableException) {
      return "UNAVAILABLE";
    }
    return String.valueOf(e);
  }

  /** A user's attempt counter (-1 if it has no live record). */
  int attemptsUsed(User u) throws ReplicationException {
    return store.get(u.userId()) instanceof UserState.Present p
        ? p.record().attemptsUsed() : -1;
  }

  /**
   * Waits (up to 2 s) until the user's attempt counter moved past {@code before}: the attempt
   * is committed, and the member now waits {@value Adversary#DELAY_AFTER_ATTEMPT_MS} ms before
   * it evaluates, which is when the fault should strike. Strikes anyway when the time is up or
   * no leader answers.
   */
  void awaitAttempt(User u, int before) {
    try {
      Polling.until(Duration.ofSeconds(2), Duration.ofMillis(5), "an attempt of " + u.name(),
          () -> attemptsUsed(u) > before);
    } catch (AssertionError timedOut) {
      // Strike anyway.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // Polling keeps checked failures as the timeout's cause; nothing else is thrown.
    }
  }
}
