package dev.bkv.pkcs11;

import dev.bkv.pkcs11.internal.TokenCore;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.Session;
import org.xipki.pkcs11.wrapper.Slot;

/** Test-only access to the wrapper objects behind the adapter (benchmarks, fault injection). */
public final class RawAccess {
  private RawAccess() {}

  public static TokenCore core(Pkcs11Token token) {
    return token.core();
  }

  public static Slot slot(Pkcs11Token token) {
    return token.core().slot();
  }

  /** The handle the adapter computes with: the session copy if there is one. */
  public static long opHandle(HsmKey key, Session s) throws PKCS11Exception, HsmException {
    return key.opHandle(s);
  }

  /** The key's token-object handle, resolved on {@code s}. */
  public static long handle(HsmKey key, Session s) throws PKCS11Exception, HsmException {
    return key.handle(s);
  }
}
