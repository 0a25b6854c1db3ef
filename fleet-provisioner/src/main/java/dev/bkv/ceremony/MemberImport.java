package dev.bkv.ceremony;

import dev.bkv.crypto.Sha256;
import dev.bkv.evidence.FleetKey;
import dev.bkv.evidence.KeyChecks;
import dev.bkv.evidence.ShareLayout;
import dev.bkv.pkcs11.AesKey;
import dev.bkv.pkcs11.EcPrivateKey;
import dev.bkv.pkcs11.HsmException;
import dev.bkv.pkcs11.KeySpec;
import dev.bkv.pkcs11.KeyUsage;
import dev.bkv.pkcs11.OaepHash;
import dev.bkv.pkcs11.Pkcs11Token;
import dev.bkv.pkcs11.PublicValue;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import java.util.TreeSet;

/**
 * The member side: unwraps the transport KEK with the member's RSA key (as a session object),
 * unwraps each fleet key and group wrap key under it as non-extractable, adds the EC keys' public
 * halves, checks each EC key against its public point in the HSM, and destroys the KEK. The
 * group wrap keys must be exactly those the share layout gives this member.
 */
public final class MemberImport {
  private MemberImport() {}

  /**
   * Imports {@code keys} (already {@link WrappedKeys#verified verified}) into {@code token}.
   * Partial leftovers of an earlier attempt are destroyed first; a token that already holds
   * this fleet's keys is left alone.
   *
   * @throws CeremonyException if the keys are for another member or transport key
   */
  public static void importKeys(Pkcs11Token token, WrappedKeys keys, Transcript transcript)
      throws HsmException, CeremonyException {
    String name = token.info().label();
    EcPrivateKey identity = token.keys().findEcP256(FleetKey.MEMBER_IDENTITY);
    String memberId = new String(identity.id(), StandardCharsets.UTF_8);
    if (!memberId.equals(keys.memberId())) {
      throw new CeremonyException("the wrapped keys are for member '" + keys.memberId()
          + "' but token " + name + " belongs to member '" + memberId + "'");
    }
    String transport = Sha256.hex(token.keys().findRsa(FleetKey.MEMBER_TRANSPORT).publicKey().encoded());
    if (!transport.equals(keys.transportKey())) {
      throw new CeremonyException("the wrapped keys are for transport key " + keys.transportKey()
          + " but token " + name + " holds transport key " + transport + "; export them again for"
          + " this member's current descriptor");
    }
    String space = FleetKey.space(keys.fleetId(), keys.epoch());
    Set<String> expected = expectedShares(keys, memberId);
    TokenState state = TokenState.of(token, space, expected);
    if (state.complete()) {
      transcript.add("unwrap", name, "fleet keys already present; nothing imported");
      return;
    }
    if (!state.empty()) {
      int n = TokenState.rollBack(token, space);
      transcript.add("rollback", name, "destroyed " + n + " objects left by an earlier attempt");
    }
    OaepHash oaep = OaepHash.ofTitle(keys.transportOaep()).orElseThrow(() -> new CeremonyException(
        "the wrapped keys name RSA-OAEP hash '" + keys.transportOaep() + "'; expected one of "
        + Arrays.toString(OaepHash.values())));
    AesKey kek = token.keys().findRsa(FleetKey.MEMBER_TRANSPORT).unwrapAes(
        Base64.getDecoder().decode(keys.wrappedTransportKey()),
        KeySpec.of(FleetKey.ceremonyPrefix(space) + "kek", KeyUsage.UNWRAP).sessionOnly(), oaep);
    try {
      for (WrappedKeys.Entry e : keys.keys()) {
        unwrapOne(token, kek, space, e);
      }
    } finally {
      kek.destroy();
    }
    transcript.add("unwrap", name, "unwrapped the key-encryption key with RSA-OAEP (" + oaep
        + "), then " + (keys.keys().size() - expected.size())
        + " fleet keys and " + expected.size() + " group wrap keys as non-extractable; EC keys"
        + " match their public points (x(k*G)); session transport key destroyed");
  }

  /**
   * The group wrap keys {@code memberId} holds in the layout of {@code keys.members()}; the
   * wrapped share keys must be exactly these.
   */
  private static Set<String> expectedShares(WrappedKeys keys, String memberId) throws CeremonyException {
    ShareLayout layout;
    try {
      layout = new ShareLayout(keys.fleetId(), keys.epoch(), keys.members());
    } catch (IllegalArgumentException e) {
      throw new CeremonyException("the wrapped keys for member '" + memberId + "' name no valid"
          + " share layout: " + e.getMessage(), e);
    }
    if (!layout.members().contains(memberId)) {
      throw new CeremonyException("the wrapped keys list members " + layout.members()
          + " without member '" + memberId + "'");
    }
    Set<String> expected = TokenState.expectedShares(layout, memberId);
    Set<String> got = new TreeSet<>();
    for (WrappedKeys.Entry e : keys.keys()) {
      if (e.label().startsWith(ShareLayout.labelPrefix(FleetKey.space(keys.fleetId(), keys.epoch())))) {
        got.add(e.label());
      }
    }
    if (!got.equals(expected)) {
      throw new CeremonyException("the wrapped keys for member '" + memberId + "' carry group wrap"
          + " keys " + got + "; in the layout of " + layout.members() + " it holds exactly " + expected);
    }
    return expected;
  }

  private static void unwrapOne(Pkcs11Token token, AesKey kek, String space, WrappedKeys.Entry e)
      throws HsmException, CeremonyException {
    if (e.label().startsWith(ShareLayout.labelPrefix(space))) {
      kek.unwrapAes(e.wrappedBytes(), new KeySpec(e.label(), HexFormat.of().parseHex(e.id()),
          Set.of(KeyUsage.WRAP, KeyUsage.UNWRAP), false, true));
      return;
    }
    FleetKey k = fleetKey(space, e.label());
    byte[] id = HexFormat.of().parseHex(e.id());
    KeySpec spec = new KeySpec(e.label(), id, k.usages(), false, true);
    switch (k.type()) {
      case EC_P256 -> {
        if (e.publicValue() == null) {
          throw new CeremonyException("wrapped EC key '" + e.label() + "' has no public value");
        }
        PublicValue.EcP256 pub = new PublicValue.EcP256(HexFormat.of().parseHex(e.publicValue()));
        EcPrivateKey key = kek.unwrapEcP256(e.wrappedBytes(), spec, pub);
        token.keys().importPublicKey(e.label(), id, pub);
        KeyChecks.requireMatchesPoint(key, pub.point());
      }
      case GENERIC_SECRET -> kek.unwrapGenericSecret(e.wrappedBytes(), spec);
      case AES -> kek.unwrapAes(e.wrappedBytes(), spec);
      default -> throw new IllegalStateException("unexpected fleet key type " + k.type());
    }
  }

  private static FleetKey fleetKey(String space, String label) throws CeremonyException {
    for (FleetKey k : FleetKey.values()) {
      if (k.label(space).equals(label)) {
        return k;
      }
    }
    throw new CeremonyException("wrapped key '" + label + "' is not a fleet key of key space " + space);
  }
}
