package dev.bkv.cli.fleet;

import dev.bkv.cli.node.Health;
import dev.bkv.client.Endpoint;
import dev.bkv.crypto.EcdsaP256;
import dev.bkv.node.api.StatusRequest;
import dev.bkv.node.api.StatusResponse;
import dev.bkv.node.api.Tls;
import dev.bkv.node.api.VaultGrpc;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * What {@code bkv fleet status} learns from one member: the questions {@code bkv node status}
 * asks (gRPC health, then the vault status), checked against the epoch's bundle.
 *
 * @param health       {@code SERVING}, {@code NOT_SERVING}, ... or {@code UNREACHABLE}
 * @param shardRecords user records per shard the member's replicas hold
 * @param problem      why the answer does not fit the epoch (other member, fleet, epoch or
 *                     fleet key), or the error; null when it fits
 */
record MemberProbe(String memberId, String endpoint, String health, Map<Integer, Long> shardRecords,
    String problem) {

  boolean serving() {
    return "SERVING".equals(health) && problem == null;
  }

  /**
   * Asks the member at {@code endpoint}; {@code ake} is the bundle's AKE key (hex point), which
   * the member's fleet key must equal.
   */
  static MemberProbe ask(String memberId, String endpoint, String fleetId, long epoch, String ake,
      Path ca) {
    Endpoint e;
    try {
      e = Endpoint.parse(endpoint);
    } catch (IllegalArgumentException x) {
      return new MemberProbe(memberId, endpoint, "UNREACHABLE", Map.of(), x.getMessage());
    }
    ManagedChannel ch;
    try {
      ch = Grpc.newChannelBuilderForAddress(e.host(), e.port(), Tls.client(ca)).build();
    } catch (java.io.IOException x) {
      return new MemberProbe(memberId, endpoint, "UNREACHABLE", Map.of(),
          "cannot read the CA certificate " + ca + ": " + x.getMessage());
    }
    try {
      String health = Health.check(ch);
      StatusResponse s = VaultGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
          .status(StatusRequest.newBuilder().build());
      Map<Integer, Long> records = new TreeMap<>(s.getShardRecordsMap());
      return new MemberProbe(memberId, endpoint, health, records,
          mismatch(s, memberId, fleetId, epoch, ake));
    } catch (StatusRuntimeException x) {
      return new MemberProbe(memberId, endpoint, "UNREACHABLE", Map.of(),
          x.getStatus().getCode() + (x.getStatus().getDescription() == null ? ""
              : " (" + x.getStatus().getDescription() + ")"));
    } finally {
      ch.shutdownNow();
    }
  }

  private static String mismatch(StatusResponse s, String memberId, String fleetId, long epoch,
      String ake) {
    if (!s.getMemberId().equals(memberId)) {
      return "answers as member " + s.getMemberId() + ", not " + memberId;
    }
    if (!s.getFleetId().equals(fleetId) || s.getEpoch() != epoch) {
      return "serves fleet " + s.getFleetId() + " epoch " + s.getEpoch() + ", not " + fleetId
          + " epoch " + epoch;
    }
    String compressed;
    try {
      compressed = HexFormat.of().formatHex(EcdsaP256.decodePoint(HexFormat.of().parseHex(ake))
          .getEncoded(true));
    } catch (IllegalArgumentException x) {
      return "the bundle's AKE key does not parse: " + x.getMessage();
    }
    String served = HexFormat.of().formatHex(s.getFleetPublicKey().toByteArray());
    return served.equals(compressed) ? null
        : "serves fleet key " + served.substring(0, 16) + "..., the bundle's is "
            + compressed.substring(0, 16) + "...";
  }
}
