package dev.bkv.node.service;

import dev.bkv.node.api.ChannelError.Reason;
import dev.bkv.opaque.RegistrationRecord;
import dev.bkv.recovery.BadInputException;
import dev.bkv.recovery.RecoveryException;
import dev.bkv.seal.ResetKey;
import dev.bkv.seal.SealedBackupKey;

/**
 * Checks of request fields, done before anything is committed so that malformed input costs no
 * attempt: each bad field is {@link Reason#BAD_REQUEST} with a message naming it.
 */
final class Requests {
  private Requests() {}

  interface Parser<T> {
    T parse() throws BadInputException;
  }

  static <T> T parse(Parser<T> p) throws ServiceException {
    try {
      return p.parse();
    } catch (BadInputException e) {
      throw new ServiceException(Reason.BAD_REQUEST, e.getMessage(), e);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new ServiceException(Reason.BAD_REQUEST, "malformed message: " + e.getMessage(), e);
    }
  }

  /** A registration session id, record and sealed key, as {@code RegisterFinish} sends them. */
  static RegistrationRecord newRecord(byte[] sessionId, byte[] record, byte[] sealedKey)
      throws ServiceException {
    requireLength(sessionId, VaultService.SESSION_ID_LENGTH, "session id");
    RegistrationRecord r = parse(() -> RegistrationRecord.parse(record));
    parse(() -> SealedBackupKey.parse(sealedKey));
    return r;
  }

  static void requireLength(byte[] b, int length, String what) throws ServiceException {
    if (b == null || b.length != length) {
      throw new ServiceException(Reason.BAD_REQUEST, what + " is "
          + (b == null ? 0 : b.length) + " bytes; expected " + length);
    }
  }

  /** A reset key is empty or a 65-byte uncompressed P-256 point. */
  static void resetKey(byte[] key) throws ServiceException {
    if (key == null || (key.length != 0 && (key.length != ResetKey.PUBLIC_KEY_LENGTH
        || key[0] != 0x04 || !validPoint(key)))) {
      throw new ServiceException(Reason.BAD_REQUEST, "reset key is "
          + (key == null ? "missing" : key.length + " bytes") + "; expected none or "
          + ResetKey.PUBLIC_KEY_LENGTH + " bytes, an uncompressed P-256 point");
    }
  }

  /** A reset signature is empty or a DER ECDSA signature (at most 72 bytes). */
  static void resetSignature(byte[] sig) throws ServiceException {
    if (sig == null || sig.length > 72) {
      throw new ServiceException(Reason.BAD_REQUEST, "reset signature is "
          + (sig == null ? "missing" : sig.length + " bytes") + "; expected at most 72");
    }
  }

  private static boolean validPoint(byte[] key) {
    try {
      dev.bkv.ec.P256.decodePoint(key);
      return true;
    } catch (dev.bkv.recovery.BadInputException e) {
      return false;
    }
  }

  static ServiceException fault(String what, RecoveryException e) {
    return new ServiceException(Reason.FAULT, what + " failed: " + e.getMessage(), e);
  }
}
