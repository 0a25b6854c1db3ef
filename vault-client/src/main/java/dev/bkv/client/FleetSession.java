package dev.bkv.client;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import dev.bkv.channel.ChannelInitiator;
import dev.bkv.ec.Point;
import dev.bkv.node.api.ChannelError;
import dev.bkv.node.api.ChannelErrors;
import dev.bkv.node.api.ChannelReply;
import dev.bkv.node.api.ChannelRequest;
import dev.bkv.node.api.ChannelResponse;
import dev.bkv.node.api.FleetChannel;
import dev.bkv.node.api.VaultGrpc.VaultBlockingStub;
import dev.bkv.recovery.AuthenticationFailedException;
import dev.bkv.recovery.BadInputException;
import io.grpc.Status;
import java.security.SecureRandom;

/**
 * One user operation's calls to one member, each in the fleet channel (vault.proto): the
 * request goes encrypted to the fleet key, and only an answer written by that key's holder is
 * believed. A member's plain gRPC error is never taken for an answer about the record.
 */
final class FleetSession {
  /** The channel methods, by their gRPC bare names (the prologue names them). */
  enum Rpc {
    REGISTER_START("RegisterStart"),
    REGISTER_FINISH("RegisterFinish"),
    RECOVER_START("RecoverStart"),
    RECOVER_FINISH("RecoverFinish"),
    DELETE("Delete"),
    CHANGE_PASSWORD("ChangePassword"),
    CLOSURE_RECEIPT("ClosureReceipt"),
    ACTIVATE("Activate");

    final String method;

    Rpc(String method) {
      this.method = method;
    }

    ChannelResponse invoke(VaultBlockingStub stub, ChannelRequest r) {
      return switch (this) {
        case REGISTER_START -> stub.registerStart(r);
        case REGISTER_FINISH -> stub.registerFinish(r);
        case RECOVER_START -> stub.recoverStart(r);
        case RECOVER_FINISH -> stub.recoverFinish(r);
        case DELETE -> stub.delete(r);
        case CHANGE_PASSWORD -> stub.changePassword(r);
        case CLOSURE_RECEIPT -> stub.closureReceipt(r);
        case ACTIVATE -> stub.activate(r);
      };
    }
  }

  private final VaultBlockingStub stub;
  private final Point fleetKey;
  private final byte[] user;
  private final String tenantToken;
  private final SecureRandom rng;

  FleetSession(VaultBlockingStub stub, Point fleetKey, byte[] user, String tenantToken,
      SecureRandom rng) {
    this.stub = stub;
    this.fleetKey = fleetKey;
    this.user = user.clone();
    this.tenantToken = tenantToken;
    this.rng = rng;
  }

  byte[] user() {
    return user.clone();
  }

  /**
   * Sends {@code request} to {@code rpc} through the channel and returns the member's inner
   * answer. Transport errors propagate as {@link io.grpc.StatusRuntimeException} (the caller
   * decides whether to fail over); an answer that does not authenticate is {@link
   * UntrustedFleetException}; a refusal sent through the channel is {@link RejectedException}
   * (or {@link UnavailableException} when the member had no majority).
   */
  <T extends MessageLite> T call(Rpc rpc, MessageLite request, Parser<T> parser)
      throws VaultClientException {
    ChannelInitiator init = ChannelInitiator.start(fleetKey,
        FleetChannel.prologue(rpc.method, user, tenantToken), request.toByteArray(), rng);
    ChannelResponse response = rpc.invoke(stub, ChannelRequest.newBuilder()
        .setTenantToken(tenantToken).setUserId(ByteString.copyFrom(user))
        .setHandshake(ByteString.copyFrom(init.message())).build());
    ChannelReply reply;
    try {
      reply = ChannelReply.parseFrom(init.finish(response.getHandshake().toByteArray()));
    } catch (BadInputException | AuthenticationFailedException e) {
      throw new UntrustedFleetException(rpc.method + ": the answer was not written by the "
          + "holder of the trusted fleet key (" + e.getMessage() + "); nothing was believed",
          e);
    } catch (InvalidProtocolBufferException e) {
      throw new RejectedException(Rejection.FAULT, "INTERNAL", rpc.method + ": the fleet's "
          + "answer is not a valid reply: " + e.getMessage(), e);
    }
    if (reply.hasError()) {
      ChannelError err = reply.getError();
      Status.Code code = ChannelErrors.statusCode(err.getReason());
      String msg = rpc.method + ": " + code + " (" + err.getMessage() + ")";
      if (code == Status.Code.UNAVAILABLE) {
        throw new UnavailableException(msg, null);
      }
      throw new RejectedException(Rejection.of(err.getReason()), code.name(), msg, null);
    }
    try {
      return parser.parseFrom(reply.getMessage());
    } catch (InvalidProtocolBufferException e) {
      throw new RejectedException(Rejection.FAULT, "INTERNAL", rpc.method + ": the fleet's "
          + "answer is not a valid " + rpc.method + " response: " + e.getMessage(), e);
    }
  }
}
