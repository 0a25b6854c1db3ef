package dev.bkv.pkcs11;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.*;

import dev.bkv.pkcs11.internal.Involved;
import java.util.Optional;
import java.util.Set;
import org.xipki.pkcs11.wrapper.Mechanism;
import org.xipki.pkcs11.wrapper.params.RSA_PKCS_OAEP_PARAMS;

/**
 * The hash of {@code CKM_RSA_PKCS_OAEP} when an AES key travels under an RSA transport key (MGF1
 * with the same hash, no label). SHA-1 is the only one every token accepts (SoftHSM2 2.6.1 takes
 * nothing else); SHA-256 is preferred where both ends take it. {@code bkv token check} lists what
 * a token takes ({@code RSA-OAEP wrap}).
 */
public enum OaepHash {
  SHA256("SHA-256", CKM_SHA256, CKG_MGF1_SHA256),
  SHA1("SHA-1", CKM_SHA_1, CKG_MGF1_SHA1);

  private final String title;
  private final long hash;
  private final long mgf;

  OaepHash(String title, long hash, long mgf) {
    this.title = title;
    this.hash = hash;
    this.mgf = mgf;
  }

  /** {@code SHA-256} or {@code SHA-1}. */
  public String title() {
    return title;
  }

  /** The hash to use between a wrapping token taking {@code wrapper} and one taking {@code unwrapper}. */
  public static Optional<OaepHash> choose(Set<OaepHash> wrapper, Set<OaepHash> unwrapper) {
    for (OaepHash h : values()) { // in order of preference
      if (wrapper.contains(h) && unwrapper.contains(h)) {
        return Optional.of(h);
      }
    }
    return Optional.empty();
  }

  /** {@code SHA-256} or {@code SHA-1} back to the constant; empty for anything else. */
  public static Optional<OaepHash> ofTitle(String title) {
    for (OaepHash h : values()) {
      if (h.title.equals(title)) {
        return Optional.of(h);
      }
    }
    return Optional.empty();
  }

  Mechanism mechanism() {
    return Involved.mechanism(CKM_RSA_PKCS_OAEP, new RSA_PKCS_OAEP_PARAMS(hash, mgf));
  }

  @Override
  public String toString() {
    return title;
  }
}
