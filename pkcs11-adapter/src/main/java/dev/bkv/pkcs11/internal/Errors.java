package dev.bkv.pkcs11.internal;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.*;

import dev.bkv.pkcs11.Ckr;
import dev.bkv.pkcs11.HsmException;
import org.xipki.pkcs11.wrapper.PKCS11Exception;

/** Classifies module errors: which mean a lost session, which a stale key handle. */
public final class Errors {
  private Errors() {}

  /** The session or the whole token went away; reopening and logging in again may help. */
  public static boolean isSessionLoss(long code) {
    return code == CKR_SESSION_HANDLE_INVALID || code == CKR_SESSION_CLOSED
        || code == CKR_DEVICE_REMOVED || code == CKR_TOKEN_NOT_PRESENT
        || code == CKR_USER_NOT_LOGGED_IN;
  }

  /** A cached object handle no longer names the object (e.g. it was recreated). */
  public static boolean isStaleHandle(long code) {
    return code == CKR_OBJECT_HANDLE_INVALID || code == CKR_KEY_HANDLE_INVALID;
  }

  /**
   * The module's error as an {@link HsmException} for {@code operation}, naming the mechanisms
   * and attributes the failed call involved ({@link Involved}).
   */
  public static HsmException map(String operation, PKCS11Exception e) {
    long code = e.getErrorCode();
    return new HsmException(operation, Ckr.of(code), Involved.describe(code), e);
  }
}
