package dev.bkv.pkcs11.check;

import dev.bkv.pkcs11.Pkcs11Token;
import dev.bkv.pkcs11.internal.TokenCore;
import java.util.ArrayList;
import java.util.List;

/**
 * The preflight behind {@code bkv token check}: tries, on session objects, every mechanism,
 * attribute policy and behaviour a role needs, and says which fallback bkv uses where the token
 * differs. Nothing it creates outlives the run; nothing on the token is changed.
 */
public final class TokenCheck {
  private TokenCheck() {}

  /** Runs every probe on {@code token} ({@code core} is the token's own). */
  public static CheckReport run(Pkcs11Token token, TokenCore core) {
    ApiProbes api = new ApiProbes(token);
    RawProbes raw = new RawProbes(core);
    List<Finding> f = new ArrayList<>();
    f.add(api.sessionObjects());
    Finding ec = api.ecKeygen();
    f.add(ec);
    boolean noEc = ec.status() == Status.MISSING;
    f.add(noEc ? needsEc(Capability.ECDH_X) : api.ecdh());
    Finding ecdsa = noEc ? needsEc(Capability.ECDSA) : api.ecdsa();
    f.add(ecdsa);
    Finding eddsa = eddsaRow(api.eddsa(), ecdsa);
    f.add(eddsa);
    f.add(noteSignature(eddsa, ecdsa));
    f.add(api.gcm());
    f.add(api.hmac());
    f.add(raw.rsaOaep());
    f.add(raw.kwp());
    f.add(noEc ? needsEc(Capability.EC_UNWRAP) : raw.ecUnwrap());
    f.add(raw.trustedWrap());
    f.add(raw.sealing());
    f.add(raw.unextractable());
    f.add(raw.local());
    f.add(raw.concurrentSessions());
    api.cleanUp();
    return new CheckReport(token.description(), f);
  }

  /** A probe not run because the token generates no P-256 keys (named in that finding). */
  private static Finding needsEc(Capability c) {
    return Finding.skipped(c, "not tried: needs EC P-256 keys, which the token does not generate");
  }

  /** The Ed25519 row: its ECDSA fallback is named only where ECDSA P-256 works. */
  static Finding eddsaRow(Finding eddsa, Finding ecdsa) {
    if (eddsa.status() == Status.FALLBACK && ecdsa.status() != Status.OK) {
      return Finding.missing(Capability.EDDSA, eddsa.detail() + " (and no ECDSA P-256 to fall back to)");
    }
    return eddsa;
  }

  /** Ed25519 if the token has it, else ECDSA P-256, else nothing. */
  static Finding noteSignature(Finding eddsa, Finding ecdsa) {
    if (eddsa.status() == Status.OK) {
      return Finding.ok(Capability.NOTE_SIGNATURE, "Ed25519");
    }
    if (ecdsa.status() == Status.OK) {
      return Finding.fallback(Capability.NOTE_SIGNATURE, "no Ed25519 on this token",
          "ECDSA P-256 note signatures (recorded in the key's verifier key)");
    }
    return Finding.missing(Capability.NOTE_SIGNATURE, "neither Ed25519 nor ECDSA P-256 signs");
  }
}
