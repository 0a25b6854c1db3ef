package dev.bkv.pkcs11;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.*;

/** Short human explanations for the return values operators actually meet. */
final class Hints {
  private Hints() {}

  static String forCode(long code) {
    if (code == CKR_PIN_INCORRECT) {
      return "wrong PIN";
    } else if (code == CKR_PIN_LOCKED) {
      return "PIN locked after too many wrong attempts";
    } else if (code == CKR_MECHANISM_INVALID) {
      return "mechanism not supported by this token";
    } else if (code == CKR_KEY_NOT_WRAPPABLE) {
      return "key may only be wrapped with a trusted key, or not with this mechanism";
    } else if (code == CKR_KEY_UNEXTRACTABLE) {
      return "key is not extractable";
    } else if (code == CKR_USER_ANOTHER_ALREADY_LOGGED_IN) {
      return "the security officer is logged in";
    } else if (code == CKR_TOKEN_NOT_PRESENT || code == CKR_DEVICE_REMOVED) {
      return "token is gone";
    } else if (code == CKR_ATTRIBUTE_READ_ONLY) {
      return "attribute cannot be set or changed";
    } else if (code == CKR_ATTRIBUTE_SENSITIVE) {
      return "attribute is sensitive";
    }
    return "";
  }
}
