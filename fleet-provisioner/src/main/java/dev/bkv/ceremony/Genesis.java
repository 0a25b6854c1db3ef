package dev.bkv.ceremony;

import dev.bkv.crypto.EcdsaP256;
import dev.bkv.crypto.Sha256;
import dev.bkv.evidence.FleetKey;
import dev.bkv.evidence.TokenDescription;
import dev.bkv.pkcs11.AesKey;
import dev.bkv.pkcs11.Ckr;
import dev.bkv.pkcs11.EcPrivateKey;
import dev.bkv.pkcs11.HsmException;
import dev.bkv.pkcs11.HsmKey;
import dev.bkv.pkcs11.KeySpec;
import dev.bkv.pkcs11.KeyUsage;
import dev.bkv.pkcs11.Pkcs11Token;
import dev.bkv.pkcs11.PublicKeyObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;

/**
 * The genesis side of the ceremony: generates the fleet keys as ceremony keys
 * ({@code SENSITIVE}, {@code EXTRACTABLE}, {@code WRAP_WITH_TRUSTED}), wraps them for members
 * under security-officer-trusted transport keys, seals them, and removes the trusted objects.
 */
public final class Genesis {
  private final Pkcs11Token token;
  private final String fleetId;
  private final long epoch;
  private final Transcript transcript;
  private final String name;

  public Genesis(Pkcs11Token token, String fleetId, long epoch, Transcript transcript)
      throws HsmException {
    this.token = token;
    this.fleetId = FleetKey.requireFleetId(fleetId);
    this.epoch = epoch;
    this.transcript = transcript;
    this.name = token.info().label();
  }

  /** Generates the four fleet keys; ids are derived from fleet id, epoch and key name. */
  public void generateFleetKeys() throws HsmException {
    for (FleetKey k : FleetKey.values()) {
      KeySpec spec = new KeySpec(k.label(fleetId), keyId(fleetId, epoch, k), k.usages(), true, true);
      switch (k.type()) {
        case EC_P256 -> token.keys().generateEcP256(spec);
        case GENERIC_SECRET -> token.keys().generateHmacKey(spec);
        case AES -> token.keys().generateAes256(spec);
        default -> throw new IllegalStateException("unexpected fleet key type " + k.type());
      }
      transcript.add("keygen", name, "generated " + k.type() + " '" + k.label(fleetId)
          + "' as a ceremony key (sensitive, extractable only under a trusted key)");
    }
  }

  /**
   * Wraps every fleet key for {@code member}: as security officer imports the member's transport
   * key and generates an AES-256 key-encryption key, both {@code CKA_TRUSTED}; wraps the KEK to
   * the transport key (RSA-OAEP SHA-1) and the fleet keys under the KEK (AES-KWP); signs the
   * result with the genesis identity key.
   */
  public WrappedKeys wrapFor(MemberDescriptor member) throws HsmException {
    String base = FleetKey.ceremonyPrefix(fleetId) + member.memberId() + "/";
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
    byte[] wrappedKek = trusted.transport().wrap(trusted.kek());
    List<WrappedKeys.Entry> entries = new ArrayList<>();
    for (FleetKey k : FleetKey.values()) {
      HsmKey key = find(k);
      String pub = k.isEc() ? HexFormat.of().formatHex(((EcPrivateKey) key).publicKey().point()) : null;
      entries.add(new WrappedKeys.Entry(k.label(fleetId), k.type().name(),
          HexFormat.of().formatHex(key.id()), pub, Base64.getEncoder().encodeToString(trusted.kek().wrap(key))));
    }
    transcript.add("wrap", name, "wrapped the key-encryption key to member " + member.memberId()
        + " with RSA-OAEP (SHA-1) and " + entries.size() + " fleet keys under it with AES-KWP");
    EcPrivateKey identity = token.keys().findEcP256(FleetKey.MEMBER_IDENTITY);
    WrappedKeys unsigned = new WrappedKeys(WrappedKeys.SCHEMA, fleetId, epoch, member.memberId(),
        member.transportFingerprint(), TokenDescription.of(token.info()),
        HexFormat.of().formatHex(identity.publicKey().point()),
        Base64.getEncoder().encodeToString(wrappedKek), entries, "");
    byte[] sig = EcdsaP256.derFromRaw(identity.signEcdsa(unsigned.signedBytes()));
    return unsigned.withSignature(Base64.getEncoder().encodeToString(sig));
  }

  /** Seals every fleet key that is still extractable ({@code CKA_EXTRACTABLE=false}). */
  public void seal() throws HsmException {
    for (FleetKey k : FleetKey.values()) {
      HsmKey key = find(k);
      if (!Boolean.FALSE.equals(key.info().extractable())) {
        key.seal();
        transcript.add("seal", name, "set CKA_EXTRACTABLE=false on '" + k.label(fleetId) + "'");
      }
    }
  }

  /** Destroys the trusted transport keys and KEKs of this fleet's ceremony. */
  public int destroyCeremonyObjects() throws HsmException {
    int n = TokenState.destroyByPrefix(token, FleetKey.ceremonyPrefix(fleetId));
    transcript.add("cleanup", name, "destroyed " + n + " trusted ceremony objects");
    return n;
  }

  /** This ceremony's genesis identity public key (hex point). */
  public String identityKey() throws HsmException {
    return HexFormat.of().formatHex(token.keys().findEcP256(FleetKey.MEMBER_IDENTITY).publicKey().point());
  }

  private HsmKey find(FleetKey k) throws HsmException {
    String label = k.label(fleetId);
    return switch (k.type()) {
      case EC_P256 -> token.keys().findEcP256(label);
      case GENERIC_SECRET -> token.keys().findHmacKey(label);
      case AES -> token.keys().findAes(label);
      default -> throw new IllegalStateException("unexpected fleet key type " + k.type());
    };
  }

  /** {@code CKA_ID} of a fleet key: the first 16 bytes of SHA-256(fleet id, epoch, key name). */
  public static byte[] keyId(String fleetId, long epoch, FleetKey k) {
    String in = "bkv fleet key id\n" + fleetId + "\n" + epoch + "\n" + k.name();
    return Arrays.copyOf(Sha256.hash(in.getBytes(StandardCharsets.UTF_8)), 16);
  }
}
