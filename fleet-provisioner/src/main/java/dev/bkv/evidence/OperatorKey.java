package dev.bkv.evidence;

import dev.bkv.pkcs11.TokenDescription;
import java.util.Objects;

/** The operator's countersigning key ({@code operator/countersign}) and the token holding it. */
public record OperatorKey(String label, String publicKey, TokenDescription token) {
  public OperatorKey {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(token, "token");
  }
}
