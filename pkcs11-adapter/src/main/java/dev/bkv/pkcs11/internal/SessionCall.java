package dev.bkv.pkcs11.internal;

import dev.bkv.pkcs11.HsmException;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.Session;

/** Work done on one borrowed, logged-in session. Must not keep the session after returning. */
@FunctionalInterface
public interface SessionCall<T> {
  T apply(Session session) throws PKCS11Exception, HsmException;
}
