package dev.bkv.pkcs11;

import dev.bkv.pkcs11.internal.Involved;
import dev.bkv.pkcs11.internal.Templates;
import dev.bkv.pkcs11.internal.TokenCore;
import java.util.Objects;
import org.xipki.pkcs11.wrapper.Mechanism;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.Session;

/**
 * What the security officer may do inside {@link Pkcs11Token#asSecurityOfficer}. Only valid
 * inside that scope. The SO can create <em>public</em> objects only, and only it can set
 * {@code CKA_TRUSTED=true}, which lets ceremony keys ({@code CKA_WRAP_WITH_TRUSTED}) be wrapped.
 */
public final class SecurityOfficer {
  private final TokenCore core;
  private final Session session;
  private boolean open = true;

  SecurityOfficer(TokenCore core, Session session) {
    this.core = core;
    this.session = session;
  }

  /**
   * Creates a public key object (P-256 or RSA) for a peer's transport key, with
   * {@code CKA_TRUSTED=true, CKA_WRAP=true}. An RSA one can then wrap ceremony keys with OAEP.
   */
  public PublicKeyObject importTrustedPublicKey(String label, byte[] id, PublicValue value)
      throws HsmException {
    Objects.requireNonNull(value, "value");
    if (value instanceof PublicValue.Ed25519) {
      throw new IllegalArgumentException("an Ed25519 key cannot wrap; import a P-256 or RSA key");
    }
    String what = "importing trusted public key '" + label + "' on " + core.description();
    KeyType type = KeyImports.typeOf(value);
    var template = KeyImports.publicTemplate(value, label, id.clone()).token(true).private_(false)
        .modifiable(false).trusted(true).wrap(true).encrypt(false).verify(false).derive(false);
    long h = run(what, () -> {
      Creation.requireFreeLabel(session, ObjectClass.PUBLIC_KEY, label, what);
      return session.createObject(Involved.template(template));
    });
    return new PublicKeyObject(core, type, label, id, h, value);
  }

  /**
   * Generates an AES-256 key-encryption key marked {@code CKA_TRUSTED} (a public object, the only
   * kind the SO can create), extractable so it can itself travel under a trusted RSA key.
   */
  public AesKey generateTrustedWrappingKey(String label, byte[] id) throws HsmException {
    String what = "generating trusted wrapping key '" + label + "' on " + core.description();
    long h = run(what, () -> {
      Creation.requireFreeLabel(session, ObjectClass.SECRET_KEY, label, what);
      return session.generateKey(Involved.mechanism(org.xipki.pkcs11.wrapper.PKCS11Constants.CKM_AES_KEY_GEN),
          Involved.template(Templates.trustedAesKek(label, id.clone())));
    });
    return new AesKey(core, label, id, h);
  }

  void close() {
    open = false;
  }

  private interface Step<T> {
    T run() throws PKCS11Exception, HsmException;
  }

  private <T> T run(String what, Step<T> step) throws HsmException {
    if (!open) {
      throw new IllegalStateException("the security officer scope has ended");
    }
    try {
      return step.run();
    } catch (PKCS11Exception e) {
      throw new HsmException(what, Ckr.of(e.getErrorCode()), e);
    }
  }
}
