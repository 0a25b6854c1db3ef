package dev.bkv.node.service;

import dev.bkv.evidence.ShareLayout;
import dev.bkv.node.raft.ReplicatedRecords;
import dev.bkv.opaque.ServerKeys;
import dev.bkv.pkcs11.Pkcs11Token;
import dev.bkv.pkcs11.testing.SoftHsmTokens;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;

/**
 * A vault service for tests outside this package whose fleet is one member: its per-user OPRF
 * keys are shares of the single share set, on a real SoftHSM2 token with development wrap keys.
 */
public final class SoloOprf {
  private SoloOprf() {}

  public static VaultService service(ReplicatedRecords records, ServerKeys keys,
      RecordKey recordKey, ServiceConfig config, SecureRandom rng) throws Exception {
    Pkcs11Token token = Pkcs11Token.open(SoftHsmTokens.create("solo-" + config.fleetId()));
    Runtime.getRuntime().addShutdownHook(new Thread(token::close, "solo-token-close"));
    ShareLayout solo = new ShareLayout(config.fleetId(), List.of("m1"));
    DevFleetKeys.importShareKeys(token, solo, "m1", DevFleetKeys.Secrets.generate(rng));
    UserOprf oprf = new FleetOprf(ShareKeys.open(token, solo, "m1"),
        (member, user, q) -> {
          throw new AssertionError("a one-member fleet asks no peer");
        });
    return new VaultService(records, keys, oprf, recordKey, config, Clock.systemUTC(), rng,
        new EvaluationCounter(), ServiceEvent.Listener.NONE, ServiceHooks.NONE);
  }
}
