package dev.bkv.client;

import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import dev.bkv.client.FleetSession.Rpc;
import dev.bkv.ec.Point;
import dev.bkv.node.api.ChangePasswordRequest;
import dev.bkv.node.api.ChangePasswordResponse;
import dev.bkv.node.api.DeleteRequest;
import dev.bkv.node.api.DeleteResponse;
import dev.bkv.node.api.RecoverFinishRequest;
import dev.bkv.node.api.RecoverFinishResponse;
import dev.bkv.node.api.RecoverStartRequest;
import dev.bkv.node.api.RecoverStartResponse;
import dev.bkv.node.api.RegisterFinishRequest;
import dev.bkv.node.api.RegisterFinishResponse;
import dev.bkv.node.api.RegisterStartRequest;
import dev.bkv.node.api.RegisterStartResponse;
import dev.bkv.node.api.VaultGrpc;
import io.grpc.Channel;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * For tests that speak the API below the client library: one inner request at a time to one
 * member, through the fleet channel, with a tenant token per user. A refusal sent through the
 * channel is a {@link RejectedException} whose {@link RejectedException#code()} is the gRPC
 * status name; a plain gRPC error is a {@link io.grpc.StatusRuntimeException}.
 */
public final class ChannelCalls {
  private final Channel channel;
  private final Point fleetKey;
  private final TenantTokens tokens;
  private final SecureRandom rng = new SecureRandom();
  private final Duration deadline;

  public ChannelCalls(Channel channel, Point fleetKey, TenantTokens tokens) {
    this(channel, fleetKey, tokens, Duration.ofSeconds(30));
  }

  public ChannelCalls(Channel channel, Point fleetKey, TenantTokens tokens, Duration deadline) {
    this.channel = channel;
    this.fleetKey = fleetKey;
    this.tokens = tokens;
    this.deadline = deadline;
  }

  /** The same calls with another deadline per call. */
  public ChannelCalls withDeadline(Duration d) {
    return new ChannelCalls(channel, fleetKey, tokens, d);
  }

  private <T extends MessageLite> T call(Rpc rpc, byte[] user, MessageLite req, Parser<T> p)
      throws VaultClientException {
    return new FleetSession(VaultGrpc.newBlockingStub(channel).withDeadlineAfter(
        deadline.toMillis(), TimeUnit.MILLISECONDS), fleetKey, user, tokens.tokenFor(user), rng)
        .call(rpc, req, p);
  }

  public RegisterStartResponse registerStart(byte[] user, RegisterStartRequest r)
      throws VaultClientException {
    return call(Rpc.REGISTER_START, user, r, RegisterStartResponse.parser());
  }

  public RegisterFinishResponse registerFinish(byte[] user, RegisterFinishRequest r)
      throws VaultClientException {
    return call(Rpc.REGISTER_FINISH, user, r, RegisterFinishResponse.parser());
  }

  public RecoverStartResponse recoverStart(byte[] user, RecoverStartRequest r)
      throws VaultClientException {
    return call(Rpc.RECOVER_START, user, r, RecoverStartResponse.parser());
  }

  public RecoverFinishResponse recoverFinish(byte[] user, RecoverFinishRequest r)
      throws VaultClientException {
    return call(Rpc.RECOVER_FINISH, user, r, RecoverFinishResponse.parser());
  }

  public DeleteResponse delete(byte[] user, DeleteRequest r) throws VaultClientException {
    return call(Rpc.DELETE, user, r, DeleteResponse.parser());
  }

  public ChangePasswordResponse changePassword(byte[] user, ChangePasswordRequest r)
      throws VaultClientException {
    return call(Rpc.CHANGE_PASSWORD, user, r, ChangePasswordResponse.parser());
  }
}
