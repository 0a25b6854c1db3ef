package dev.bkv.pkcs11.internal;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.*;

import dev.bkv.pkcs11.Ckr;
import dev.bkv.pkcs11.HsmException;
import dev.bkv.pkcs11.PinSource;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.Session;

/**
 * {@code C_Login} with retries. SoftHSM2 fails concurrent logins from several processes on one
 * token with {@code CKR_GENERAL_ERROR}; a few attempts with growing, jittered pauses get through.
 */
final class Login {
  static final int ATTEMPTS = 7;
  private static final byte[] SALT = new SecureRandom().generateSeed(32);
  /**
   * Salted hashes of the user PINs this JVM logged in with, per token. PKCS#11 login state is
   * per process, so a second open of a logged-in token gets "already logged in" whatever PIN it
   * offers; comparing with the PIN that worked keeps a wrong PIN from being accepted.
   */
  private static final ConcurrentHashMap<String, byte[]> ACCEPTED = new ConcurrentHashMap<>();

  private Login() {}

  /** Logs in as {@code userType}; "already logged in" counts as success for the user. */
  static void login(Session s, long userType, PinSource source, String key, String what,
                    String tokenId) throws HsmException {
    char[] pin = source.read(key);
    try {
      for (int attempt = 1; ; attempt++) {
        try {
          s.login(userType, pin);
          if (userType == CKU_USER) {
            ACCEPTED.put(tokenId, hash(pin, what));
          }
          return;
        } catch (PKCS11Exception e) {
          long code = e.getErrorCode();
          if (code == CKR_USER_ALREADY_LOGGED_IN && userType == CKU_USER) {
            byte[] known = ACCEPTED.get(tokenId);
            if (known != null && !MessageDigest.isEqual(known, hash(pin, what))) {
              throw new HsmException(what, Ckr.of(CKR_PIN_INCORRECT), e);
            }
            return;
          }
          if (code == CKR_GENERAL_ERROR && attempt < ATTEMPTS) {
            pause(attempt);
            continue;
          }
          throw new HsmException(what, Ckr.of(code), e);
        }
      }
    } finally {
      Arrays.fill(pin, '\0');
    }
  }

  /** Logs out, ignoring "not logged in". */
  static void logout(Session s, String what) throws HsmException {
    try {
      s.logout();
    } catch (PKCS11Exception e) {
      if (e.getErrorCode() != CKR_USER_NOT_LOGGED_IN) {
        throw new HsmException(what, Ckr.of(e.getErrorCode()), e);
      }
    }
  }

  private static byte[] hash(char[] pin, String what) throws HsmException {
    ByteBuffer b = StandardCharsets.UTF_8.encode(CharBuffer.wrap(pin));
    try {
      MessageDigest md = Sha256.digestFor(what);
      md.update(SALT);
      md.update(b);
      return md.digest();
    } finally {
      Arrays.fill(b.array(), (byte) 0);
    }
  }

  private static void pause(int attempt) throws HsmException {
    long base = 10L << Math.min(attempt - 1, 6);
    try {
      Thread.sleep(base + ThreadLocalRandom.current().nextLong(base));
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new HsmException("logging in", "interrupted while retrying C_Login");
    }
  }
}
