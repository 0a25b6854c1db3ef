package dev.bkv.ceremony;

import dev.bkv.crypto.EcdsaP256;
import dev.bkv.evidence.FleetKey;
import dev.bkv.pkcs11.EcPrivateKey;
import dev.bkv.pkcs11.HsmException;
import dev.bkv.pkcs11.KeySpec;
import dev.bkv.pkcs11.KeyUsage;
import dev.bkv.pkcs11.OaepHash;
import dev.bkv.pkcs11.Pkcs11Token;
import dev.bkv.pkcs11.PublicValue;
import dev.bkv.pkcs11.RsaPrivateKey;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The per-member keys (identity, transport) and the operator's countersigning key, generated on
 * their tokens. Idempotent: existing keys are kept.
 */
public final class MemberKeys {
  /** RSA size of transport keys. */
  public static final int TRANSPORT_BITS = 2048;
  private static final Pattern MEMBER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private MemberKeys() {}

  /**
   * Makes sure the token has {@code member/identity} (ECDSA P-256, sign only, CKA_ID = member id)
   * and {@code member/transport} (RSA, unwrap only), and describes them.
   *
   * @param memberId the id for a new identity key; {@code null} keeps the existing id or, for a
   *                 fresh token, uses the token label
   * @throws CeremonyException if the token already has an identity key for another member id
   */
  public static MemberDescriptor ensureMember(Pkcs11Token token, String memberId)
      throws HsmException, CeremonyException {
    EcPrivateKey identity;
    if (token.keys().exists(FleetKey.MEMBER_IDENTITY)) {
      identity = token.keys().findEcP256(FleetKey.MEMBER_IDENTITY);
      String existing = new String(identity.id(), StandardCharsets.UTF_8);
      if (memberId != null && !memberId.equals(existing)) {
        throw new CeremonyException("token " + token.description() + " already belongs to member '"
            + existing + "'; refusing to re-initialise it as '" + memberId + "'");
      }
    } else {
      String id = memberId != null ? requireMemberId(memberId) : idFromLabel(token);
      identity = token.keys().generateEcP256(KeySpec.of(FleetKey.MEMBER_IDENTITY, KeyUsage.SIGN)
          .withId(id.getBytes(StandardCharsets.UTF_8)));
    }
    RsaPrivateKey transport = token.keys().exists(FleetKey.MEMBER_TRANSPORT)
        ? token.keys().findRsa(FleetKey.MEMBER_TRANSPORT)
        : token.keys().generateRsa(KeySpec.of(FleetKey.MEMBER_TRANSPORT, KeyUsage.UNWRAP), TRANSPORT_BITS);
    PublicValue.Rsa t = transport.publicKey();
    MemberDescriptor unsigned = new MemberDescriptor(MemberDescriptor.SCHEMA,
        new String(identity.id(), StandardCharsets.UTF_8), token.info().description(),
        HexFormat.of().formatHex(identity.publicKey().point()), t.modulus().toString(16),
        t.publicExponent().toString(16),
        transport.oaepHashes().stream().map(OaepHash::title).toList(), "");
    byte[] sig = EcdsaP256.derFromRaw(identity.signEcdsa(unsigned.signedBytes()));
    return new MemberDescriptor(unsigned.schema(), unsigned.memberId(), unsigned.token(),
        unsigned.identityKey(), unsigned.transportModulus(), unsigned.transportExponent(),
        unsigned.transportOaep(), Base64.getEncoder().encodeToString(sig));
  }

  /** The operator's {@code operator/countersign} key (ECDSA P-256), created if missing. */
  public static EcPrivateKey ensureOperator(Pkcs11Token token) throws HsmException {
    if (token.keys().exists(FleetKey.OPERATOR_COUNTERSIGN)) {
      return token.keys().findEcP256(FleetKey.OPERATOR_COUNTERSIGN);
    }
    return token.keys().generateEcP256(KeySpec.of(FleetKey.OPERATOR_COUNTERSIGN, KeyUsage.SIGN));
  }

  /**
   * A fresh token's label as its member id, only when it is a valid one: a label such as NSS's
   * {@code NSS Certificate DB} is refused, never rewritten into an id.
   */
  private static String idFromLabel(Pkcs11Token token) throws HsmException, CeremonyException {
    String label = token.info().label();
    if (label == null || !MEMBER_ID.matcher(label).matches()) {
      throw new CeremonyException("token label '" + label + "' of " + token.description()
          + " is not a usable member id (1..64 characters of A-Z a-z 0-9 . _ - starting with a "
          + "letter or digit); give the member id explicitly (--member-id)");
    }
    return label;
  }

  /** Checks a member id: 1..64 of {@code A-Z a-z 0-9 . _ -}. */
  public static String requireMemberId(String id) {
    if (id == null || !MEMBER_ID.matcher(id).matches()) {
      throw new IllegalArgumentException("member id '" + id
          + "' is invalid; expected 1..64 characters of A-Z a-z 0-9 . _ - starting with a letter or digit");
    }
    return id;
  }
}
