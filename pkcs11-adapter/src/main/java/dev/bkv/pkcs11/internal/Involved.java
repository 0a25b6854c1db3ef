package dev.bkv.pkcs11.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.Mechanism;
import org.xipki.pkcs11.wrapper.PKCS11Constants;
import org.xipki.pkcs11.wrapper.attrs.Attribute;
import org.xipki.pkcs11.wrapper.params.CkParams;

/**
 * What the current PKCS#11 call on this thread involves: the mechanisms it passed and the
 * attributes of its templates. {@link TokenCore} clears it before each call and
 * {@link Errors#map} names it in the error, so {@code CKR_MECHANISM_INVALID} says which
 * {@code CKM_*} and {@code CKR_ATTRIBUTE_TYPE_INVALID} which {@code CKA_*} were sent. Values of
 * byte-string attributes are never recorded (they may be key material).
 */
public final class Involved {
  private static final ThreadLocal<List<String>> MECHANISMS = ThreadLocal.withInitial(ArrayList::new);
  private static final ThreadLocal<List<String>> ATTRIBUTES = ThreadLocal.withInitial(ArrayList::new);

  private Involved() {}

  /** Forgets what earlier calls on this thread involved. */
  public static void reset() {
    MECHANISMS.get().clear();
    ATTRIBUTES.get().clear();
  }

  /** A mechanism without parameters, recorded. */
  public static Mechanism mechanism(long ckm) {
    record(ckm);
    return new Mechanism(ckm);
  }

  /** A mechanism with parameters, recorded. */
  public static Mechanism mechanism(long ckm, CkParams params) {
    record(ckm);
    return new Mechanism(ckm, params);
  }

  private static void record(long ckm) {
    String name = ckmName(ckm);
    if (!MECHANISMS.get().contains(name)) {
      MECHANISMS.get().add(name);
    }
  }

  /** A template about to be sent, recorded (types, and values of booleans and numbers). */
  public static AttributeVector template(AttributeVector template) {
    List<String> out = ATTRIBUTES.get();
    for (Attribute a : template.snapshot()) {
      String name = ckaName(a.getType());
      Object v = a.getValue();
      if (v instanceof Boolean || v instanceof Long || v instanceof Integer) {
        name += "=" + v;
      }
      if (!out.contains(name)) {
        out.add(name);
      }
    }
    return template;
  }

  /** Records attribute types read or set without a template object (e.g. {@code CKA_VALUE}). */
  public static void attributes(long... types) {
    for (long t : types) {
      ATTRIBUTES.get().add(ckaName(t));
    }
  }

  /**
   * What to add to an error with return value {@code ckr}: the mechanisms always, the template
   * only for errors about attributes or templates (where it is the thing at fault); empty if
   * nothing was recorded.
   */
  public static String describe(long ckr) {
    List<String> parts = new ArrayList<>();
    List<String> mechs = MECHANISMS.get();
    if (!mechs.isEmpty()) {
      parts.add("mechanism " + String.join(", ", mechs));
    }
    List<String> attrs = ATTRIBUTES.get();
    if (!attrs.isEmpty() && (aboutAttributes(ckr) || mechs.isEmpty())) {
      parts.add((attrs.size() == 1 ? "attribute " : "attributes ") + String.join(", ", attrs));
    }
    return String.join("; ", parts);
  }

  /** Whether {@code ckr} blames an attribute or a template rather than a mechanism. */
  public static boolean aboutAttributes(long ckr) {
    String name = PKCS11Constants.ckrCodeToName(ckr);
    return name != null && (name.startsWith("CKR_ATTRIBUTE_") || name.startsWith("CKR_TEMPLATE_")
        || ckr == PKCS11Constants.CKR_KEY_FUNCTION_NOT_PERMITTED
        || ckr == PKCS11Constants.CKR_KEY_UNEXTRACTABLE
        || ckr == PKCS11Constants.CKR_KEY_NOT_WRAPPABLE);
  }

  /** {@code CKM_AES_GCM}, or {@code CKM_0x80000171} for a code the wrapper cannot name. */
  public static String ckmName(long ckm) {
    String n = PKCS11Constants.ckmCodeToName(ckm);
    return n != null && n.matches("CKM_[A-Z][A-Z0-9_]*") ? n : "CKM_0x" + hex(ckm);
  }

  /**
   * {@code CKA_WRAP_WITH_TRUSTED}, {@code CKA_NSS_DB} for NSS's public-value attribute (which the
   * wrapper cannot name), or {@code CKA_0x...} for another vendor attribute.
   */
  public static String ckaName(long cka) {
    if (cka == Templates.CKA_NSS_DB) {
      return "CKA_NSS_DB";
    }
    String n = PKCS11Constants.ckaCodeToName(cka);
    return n != null && n.matches("CKA_[A-Z][A-Z0-9_]*") ? n : "CKA_0x" + hex(cka);
  }

  private static String hex(long v) {
    return Long.toHexString(v).toUpperCase(Locale.ROOT);
  }
}
