package dev.bkv.pkcs11;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_EXTRACTABLE;

import dev.bkv.pkcs11.internal.Finder;
import dev.bkv.pkcs11.internal.Involved;
import dev.bkv.pkcs11.internal.ObjectReader;
import dev.bkv.pkcs11.internal.Reseal;
import dev.bkv.pkcs11.internal.Templates;
import dev.bkv.pkcs11.internal.TokenCore;
import java.util.HexFormat;
import java.util.Objects;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.Session;

/**
 * A key object on a token, named by label and {@code CKA_ID}. Its object handle is resolved once
 * and cached; after a session or token loss it is resolved again by label and id. Instances are
 * safe to share between threads. No secret value is ever held on the host.
 */
public abstract sealed class HsmKey
    permits EcPrivateKey, Ed25519PrivateKey, AesKey, HmacKey, RsaPrivateKey, PublicKeyObject {

  final TokenCore core;
  private final ObjectClass objectClass;
  private final KeyType type;
  private final String label;
  private final byte[] id;
  private volatile Resolved resolved;
  private volatile boolean sessionCopy;

  /** The token object's handle and, if enabled, its session copy's (0 if none). */
  private record Resolved(long handle, long copy, long epoch) {}

  HsmKey(TokenCore core, ObjectClass objectClass, KeyType type, String label, byte[] id, long handle) {
    this.core = Objects.requireNonNull(core, "core");
    this.objectClass = objectClass;
    this.type = type;
    this.label = label;
    this.id = id.clone();
    this.resolved = new Resolved(handle, 0, core.handleEpoch());
  }

  public String label() {
    return label;
  }

  /** {@code CKA_ID}. */
  public byte[] id() {
    return id.clone();
  }

  public KeyType type() {
    return type;
  }

  public ObjectClass objectClass() {
    return objectClass;
  }

  /** The token object's handle valid now, resolving it again if it went stale. */
  final long handle(Session s) throws PKCS11Exception, HsmException {
    return current(s).handle();
  }

  /** The handle to compute with: the session copy if there is one, else the token object. */
  final long opHandle(Session s) throws PKCS11Exception, HsmException {
    Resolved r = current(s);
    return r.copy() != 0 ? r.copy() : r.handle();
  }

  private Resolved current(Session s) throws PKCS11Exception, HsmException {
    Resolved r = resolved;
    long epoch = core.handleEpoch();
    if (r.epoch() == epoch) {
      return r;
    }
    synchronized (this) {
      r = resolved;
      if (r.epoch() == epoch) {
        return r;
      }
      long h = Finder.unique(s, objectClass, type, label, id, "finding " + this);
      if (r.copy() != 0) {
        core.destroySessionCopy(r.copy());
      }
      long copy = sessionCopy ? core.copyToSession(h) : 0;
      Resolved fresh = new Resolved(h, copy, epoch);
      resolved = fresh;
      return fresh;
    }
  }

  /**
   * Keeps a per-process session copy of this key ({@code C_CopyObject} with
   * {@code CKA_TOKEN=false, CKA_EXTRACTABLE=false}) and computes with it. SoftHSM2 re-reads and
   * locks its token files on every use of a token key; a session copy avoids that (15-30% more
   * throughput for ECDH). The copy keeps {@code CKA_SENSITIVE}, {@code CKA_NEVER_EXTRACTABLE}
   * and {@code CKA_LOCAL}, is made again after a session loss, and vanishes with the process.
   * Only for non-extractable keys (seal ceremony keys first); destroying the key through this
   * object destroys the copy too.
   *
   * @throws IllegalStateException if the key is extractable
   */
  public void cacheInSession() throws HsmException {
    if (!Boolean.FALSE.equals(info().extractable())) {
      throw new IllegalStateException(this + " is extractable; seal it before caching a session copy");
    }
    synchronized (this) {
      sessionCopy = true;
      Resolved r = resolved;
      resolved = new Resolved(r.handle(), r.copy(), r.epoch() - 1); // force a copy on next use
    }
    core.call("copying " + this + " into a session object", s -> opHandle(s));
  }

  /** Reads this key's attributes back from the token. */
  public ObjectInfo info() throws HsmException {
    return core.call("reading attributes of " + this, s -> ObjectReader.read(s, handle(s)));
  }

  /**
   * Seals the key: sets {@code CKA_EXTRACTABLE=false}. The token then reports
   * {@code CKA_NEVER_EXTRACTABLE=false}, recording that it once was extractable. A token that
   * refuses the change ({@link Reseal#refusal}) or ignores it gets the fallback: the key is
   * unwrapped once more as non-extractable (same label, id and usages) and the extractable
   * original destroyed; this object then names the new one.
   */
  public Sealing seal() throws HsmException {
    return core.call("sealing " + this, s -> {
      long h = handle(s);
      if (Boolean.FALSE.equals(s.getAttrValues(h, CKA_EXTRACTABLE).extractable())) {
        return Sealing.ALREADY;
      }
      try {
        s.setAttributeValues(h, Involved.template(new AttributeVector().extractable(false)));
        if (Boolean.FALSE.equals(s.getAttrValues(h, CKA_EXTRACTABLE).extractable())) {
          return Sealing.SET_ATTRIBUTE;
        }
      } catch (PKCS11Exception e) {
        if (!Reseal.refusal(e.getErrorCode())) {
          throw e;
        }
      }
      try {
        reunwrapSealed(s, h);
      } catch (PKCS11Exception e) {
        throw new HsmException("sealing " + this + " by unwrapping it once more as non-extractable "
            + "(the token refused C_SetAttributeValue CKA_EXTRACTABLE=false)",
            Ckr.of(e.getErrorCode()), Involved.describe(e.getErrorCode()), e);
      }
      return Sealing.REUNWRAPPED;
    });
  }

  /** The fallback of {@link #seal}, also for tests on tokens that do change the attribute. */
  final void reunwrapSealed(Session s, long h) throws PKCS11Exception {
    ObjectInfo info = ObjectReader.read(s, h);
    KeySpec spec = new KeySpec(label, id, info.usages(), false, !Boolean.FALSE.equals(info.tokenObject()));
    AttributeVector t = objectClass == ObjectClass.PRIVATE_KEY ? Templates.privateKey(type, spec, id)
        : Templates.secretKey(type, spec, id, 0);
    synchronized (this) {
      long fresh = Reseal.reunwrap(s, h, t);
      resolved = new Resolved(fresh, 0, core.handleEpoch());
    }
  }

  /** Destroys the key object (and, for key pairs, the public half). */
  public void destroy() throws HsmException {
    core.call("destroying " + this, s -> {
      Resolved r = current(s);
      if (r.copy() != 0) {
        core.destroySessionCopy(r.copy());
      }
      s.destroyObject(r.handle());
      destroyCompanions(s);
      return null;
    });
  }

  /** Hook for key pairs: destroys the public object that goes with this one. */
  void destroyCompanions(Session s) throws PKCS11Exception {
    // single object by default
  }

  /** Runs {@code work} with this key's compute handle (see {@link #opHandle}) on a pooled session. */
  final <T> T withHandle(String what, KeyCall<T> work) throws HsmException {
    return core.call(what, s -> work.apply(s, opHandle(s)));
  }

  @FunctionalInterface
  interface KeyCall<T> {
    T apply(Session s, long handle) throws PKCS11Exception, HsmException;
  }

  @Override
  public String toString() {
    return type + " key '" + label + "' (id " + HexFormat.of().formatHex(id) + ") on "
        + core.description();
  }
}
