package dev.bkv.ceremony;

import dev.bkv.crypto.EcdsaP256;
import dev.bkv.crypto.Sha256;
import dev.bkv.evidence.FleetKey;
import dev.bkv.evidence.ShareLayout;
import dev.bkv.pkcs11.AesKey;
import dev.bkv.pkcs11.Ckr;
import dev.bkv.pkcs11.EcPrivateKey;
import dev.bkv.pkcs11.HsmException;
import dev.bkv.pkcs11.HsmKey;
import dev.bkv.pkcs11.KeySpec;
import dev.bkv.pkcs11.KeyUsage;
import dev.bkv.pkcs11.OaepHash;
import dev.bkv.pkcs11.Pkcs11Token;
import dev.bkv.pkcs11.PublicKeyObject;
import dev.bkv.pkcs11.Sealing;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * The genesis side of the ceremony: generates the fleet keys and one group wrap key per share
 * set of the layout as ceremony keys ({@code SENSITIVE}, {@code EXTRACTABLE},
 * {@code WRAP_WITH_TRUSTED}), wraps them for members under security-officer-trusted transport
 * keys (each member gets only the group wrap keys it holds), destroys the group wrap keys the
 * genesis must not hold, seals the rest, and removes the trusted objects.
 */
public final class Genesis {
  private static final EnumSet<KeyUsage> SHARE_KEY_USAGES = EnumSet.of(KeyUsage.WRAP, KeyUsage.UNWRAP);
  private final Pkcs11Token token;
  private final String fleetId;
  private final long epoch;
  private final String space;
  private final ShareLayout layout;
  private final String memberId;
  private final Transcript transcript;
  private final String name;
  private List<OaepHash> ownOaep;

  /**
   * @param layout the share layout over every member of the fleet, the genesis included
   * @throws CeremonyException if the genesis member is not in {@code layout}
   */
  public Genesis(Pkcs11Token token, String fleetId, long epoch, ShareLayout layout,
                 Transcript transcript) throws HsmException, CeremonyException {
    this.token = token;
    this.fleetId = FleetKey.requireFleetId(fleetId);
    this.epoch = epoch;
    this.space = FleetKey.space(fleetId, epoch);
    this.layout = layout;
    this.transcript = transcript;
    this.name = token.info().label();
    this.memberId = new String(token.keys().findEcP256(FleetKey.MEMBER_IDENTITY).id(),
        StandardCharsets.UTF_8);
    if (!layout.fleetId().equals(fleetId) || layout.epoch() != epoch || !layout.members().contains(memberId)) {
      throw new CeremonyException("the share layout of fleet " + layout.fleetId() + " with members "
          + layout.members() + " does not fit genesis member '" + memberId + "' of fleet " + fleetId);
    }
  }

  /**
   * Generates the four fleet keys and the group wrap keys (AES-256, wrap and unwrap); ids are
   * derived from fleet id, epoch and key name or set name.
   */
  public void generateFleetKeys() throws HsmException {
    for (FleetKey k : FleetKey.values()) {
      KeySpec spec = new KeySpec(k.label(space), keyId(fleetId, epoch, k), k.usages(), true, true);
      switch (k.type()) {
        case EC_P256 -> token.keys().generateEcP256(spec);
        case GENERIC_SECRET -> token.keys().generateHmacKey(spec);
        case AES -> token.keys().generateAes256(spec);
        default -> throw new IllegalStateException("unexpected fleet key type " + k.type());
      }
      transcript.add("keygen", name, "generated " + k.type() + " '" + k.label(space)
          + "' as a ceremony key (sensitive, extractable only under a trusted key)");
    }
    for (ShareLayout.ShareSet set : layout.sets()) {
      token.keys().generateAes256(new KeySpec(layout.label(set), shareKeyId(fleetId, epoch, set),
          SHARE_KEY_USAGES, true, true));
    }
    transcript.add("keygen", name, "generated " + layout.sets().size() + " AES-256 group wrap keys '"
        + layout.labelPrefix() + "<set>' (one per set of " + (layout.threshold() - 1)
        + " of the " + layout.members().size() + " members " + layout.members()
        + ") as ceremony keys (wrap/unwrap, sensitive, extractable only under a trusted key)");
  }

  /**
   * Wraps every fleet key for {@code member}: as security officer imports the member's transport
   * key and generates an AES-256 key-encryption key, both {@code CKA_TRUSTED}; wraps the KEK to
   * the transport key (RSA-OAEP with SHA-256 where both tokens take it, else SHA-1) and the fleet
   * keys under the KEK (AES-KWP); signs the result with the genesis identity key.
   *
   * @throws CeremonyException if the two tokens take no OAEP hash in common
   */
  public WrappedKeys wrapFor(MemberDescriptor member) throws HsmException, CeremonyException {
    OaepHash oaep = oaepFor(member);
    String base = FleetKey.ceremonyPrefix(space) + member.memberId() + "/";
    byte[] id = Arrays.copyOf(HexFormat.of().parseHex(member.transportFingerprint()), 16);
    record Trusted(PublicKeyObject transport, AesKey kek) {}
    Trusted trusted;
    try {
      trusted = token.asSecurityOfficer(so -> new Trusted(
          so.importTrustedPublicKey(base + "transport", id, member.transportKey()),
          so.generateTrustedWrappingKey(base + "kek", id)));
      transcript.add("trust", name, "security officer imported the transport key of member "
          + member.memberId() + " (sha256 " + member.transportFingerprint()
          + ") and generated a key-encryption key, both CKA_TRUSTED");
    } catch (HsmException e) {
      if (!e.ckr().filter(Ckr.USER_TYPE_INVALID::equals).isPresent()) {
        throw e;
      }
      // A token without a security officer (NSS softokn) cannot mark anything CKA_TRUSTED, and
      // `bkv token check` found it does not enforce CKA_WRAP_WITH_TRUSTED either: the user
      // imports the transport key and makes the KEK, and the transcript says so.
      trusted = new Trusted(token.keys().importPublicKey(base + "transport", id, member.transportKey()),
          token.keys().generateAes256(new KeySpec(base + "kek", id, EnumSet.of(KeyUsage.WRAP), true, true)));
      transcript.add("trust", name, "FALLBACK: the token has no security officer ("
          + e.ckr().orElseThrow().name() + "); the user imported the transport key of member "
          + member.memberId() + " (sha256 " + member.transportFingerprint()
          + ") and generated a key-encryption key, neither CKA_TRUSTED");
    }
    byte[] wrappedKek = trusted.transport().wrap(trusted.kek(), oaep);
    List<WrappedKeys.Entry> entries = new ArrayList<>();
    for (FleetKey k : FleetKey.values()) {
      HsmKey key = find(k);
      String pub = k.isEc() ? HexFormat.of().formatHex(((EcPrivateKey) key).publicKey().point()) : null;
      entries.add(new WrappedKeys.Entry(k.label(space), k.type().name(),
          HexFormat.of().formatHex(key.id()), pub, Base64.getEncoder().encodeToString(trusted.kek().wrap(key))));
    }
    List<ShareLayout.ShareSet> held = layout.heldBy(member.memberId());
    for (ShareLayout.ShareSet set : held) {
      AesKey key = token.keys().findAes(layout.label(set));
      entries.add(new WrappedKeys.Entry(layout.label(set), key.type().name(),
          HexFormat.of().formatHex(key.id()), null, Base64.getEncoder().encodeToString(trusted.kek().wrap(key))));
    }
    transcript.add("wrap", name, "wrapped the key-encryption key to member " + member.memberId()
        + " with RSA-OAEP (" + oaep + ") and " + FleetKey.values().length + " fleet keys and the "
        + held.size() + " group wrap keys it holds (sets " + held.stream().map(ShareLayout.ShareSet::name).toList()
        + ") under it with AES-KWP");
    EcPrivateKey identity = token.keys().findEcP256(FleetKey.MEMBER_IDENTITY);
    WrappedKeys unsigned = new WrappedKeys(WrappedKeys.SCHEMA, fleetId, epoch, member.memberId(),
        layout.members(),
        member.transportFingerprint(), token.info().description(),
        HexFormat.of().formatHex(identity.publicKey().point()),
        Base64.getEncoder().encodeToString(wrappedKek), oaep.title(), entries, "");
    byte[] sig = EcdsaP256.derFromRaw(identity.signEcdsa(unsigned.signedBytes()));
    return unsigned.withSignature(Base64.getEncoder().encodeToString(sig));
  }

  /**
   * The OAEP hash for {@code member}'s transport key: SHA-256 where the genesis token (tried on
   * its own transport key, once) and the member's token (its descriptor) both take it, else
   * SHA-1, recorded in the transcript as a fallback.
   */
  private OaepHash oaepFor(MemberDescriptor member) throws HsmException, CeremonyException {
    if (ownOaep == null) {
      ownOaep = token.keys().findRsa(FleetKey.MEMBER_TRANSPORT).oaepHashes();
    }
    Set<OaepHash> own = ownOaep.isEmpty() ? EnumSet.noneOf(OaepHash.class)
        : EnumSet.copyOf(ownOaep);
    Set<OaepHash> theirs = member.transportOaepHashes();
    OaepHash chosen = OaepHash.choose(own, theirs).orElseThrow(() -> new CeremonyException(
        "genesis token " + name + " takes RSA-OAEP with " + own + " and member "
        + member.memberId() + "'s token with " + theirs + ": no hash in common"));
    if (chosen != OaepHash.values()[0]) {
      transcript.add("fallback", name, "RSA-OAEP with " + chosen + " for member "
          + member.memberId() + ": " + OaepHash.values()[0] + " is not taken by "
          + (own.contains(OaepHash.values()[0]) ? "member " + member.memberId() + "'s token"
              : "the genesis token"));
    }
    return chosen;
  }

  /**
   * Destroys the group wrap keys of the sets that contain the genesis member (it must not hold
   * them), then seals every group wrap key it holds and every fleet key that is still extractable
   * ({@code CKA_EXTRACTABLE=false}). The fleet keys are sealed last: a genesis whose fleet keys
   * are all sealed has finished this step.
   */
  public void seal() throws HsmException {
    List<String> destroyed = new ArrayList<>();
    for (ShareLayout.ShareSet set : layout.sets()) {
      if (!set.heldBy(memberId) && token.keys().destroyAll(layout.label(set)) > 0) {
        destroyed.add(set.name());
      }
    }
    transcript.add("seal", name, "destroyed the group wrap keys of the " + destroyed.size()
        + " sets that contain genesis member " + memberId + " " + destroyed);
    for (ShareLayout.ShareSet set : layout.heldBy(memberId)) {
      AesKey key = token.keys().findAes(layout.label(set));
      if (!Boolean.FALSE.equals(key.info().extractable())) {
        sealed(key.seal(), layout.label(set));
      }
    }
    for (FleetKey k : FleetKey.values()) {
      HsmKey key = find(k);
      if (!Boolean.FALSE.equals(key.info().extractable())) {
        sealed(key.seal(), k.label(space));
      }
    }
  }

  /** The transcript step for one sealed key; the re-unwrap fallback is a {@code fallback} step. */
  private void sealed(Sealing how, String label) {
    if (how == Sealing.REUNWRAPPED) {
      transcript.add("fallback", name, "sealed '" + label + "' by unwrapping it once more as "
          + "non-extractable and destroying the extractable copy (the token refused "
          + "C_SetAttributeValue CKA_EXTRACTABLE=false)");
    } else {
      transcript.add("seal", name, "set CKA_EXTRACTABLE=false on '" + label + "'");
    }
  }

  /** Destroys the trusted transport keys and KEKs of this fleet's ceremony. */
  public int destroyCeremonyObjects() throws HsmException {
    int n = TokenState.destroyByPrefix(token, FleetKey.ceremonyPrefix(space));
    transcript.add("cleanup", name, "destroyed " + n + " trusted ceremony objects");
    return n;
  }

  /** This ceremony's genesis identity public key (hex point). */
  public String identityKey() throws HsmException {
    return HexFormat.of().formatHex(token.keys().findEcP256(FleetKey.MEMBER_IDENTITY).publicKey().point());
  }

  private HsmKey find(FleetKey k) throws HsmException {
    String label = k.label(space);
    return switch (k.type()) {
      case EC_P256 -> token.keys().findEcP256(label);
      case GENERIC_SECRET -> token.keys().findHmacKey(label);
      case AES -> token.keys().findAes(label);
      default -> throw new IllegalStateException("unexpected fleet key type " + k.type());
    };
  }

  /** {@code CKA_ID} of a group wrap key: the first 16 bytes of SHA-256(fleet id, epoch, set name). */
  public static byte[] shareKeyId(String fleetId, long epoch, ShareLayout.ShareSet set) {
    String in = "bkv share wrap key id\n" + fleetId + "\n" + epoch + "\n" + set.name();
    return Arrays.copyOf(Sha256.hash(in.getBytes(StandardCharsets.UTF_8)), 16);
  }

  /** {@code CKA_ID} of a fleet key: the first 16 bytes of SHA-256(fleet id, epoch, key name). */
  public static byte[] keyId(String fleetId, long epoch, FleetKey k) {
    String in = "bkv fleet key id\n" + fleetId + "\n" + epoch + "\n" + k.name();
    return Arrays.copyOf(Sha256.hash(in.getBytes(StandardCharsets.UTF_8)), 16);
  }
}
