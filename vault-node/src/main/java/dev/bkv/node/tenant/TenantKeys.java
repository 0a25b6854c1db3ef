package dev.bkv.node.tenant;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The app backend's public keys a member accepts tenant tokens from ({@code node.tenant.keys}):
 * a JWK Set of EC P-256 public keys, each with a distinct {@code kid}. Pinning two kids lets the
 * backend rotate its signing key without a gap (docs/tenant-tokens.md).
 */
public final class TenantKeys {
  /** Largest key file read; a handful of keys is a few hundred bytes. */
  public static final int MAX_FILE_BYTES = 64 * 1024;

  private final Map<String, ECKey> byKid;

  private TenantKeys(Map<String, ECKey> byKid) {
    this.byKid = Collections.unmodifiableMap(byKid);
  }

  /** Reads and checks the JWK Set in {@code file}. */
  public static TenantKeys load(Path file) throws TenantKeyException {
    byte[] data;
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw new TenantKeyException("tenant key file " + file + " is " + Files.size(file)
            + " bytes; expected at most " + MAX_FILE_BYTES);
      }
      data = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new TenantKeyException("cannot read tenant key file " + file + ": "
          + e.getClass().getSimpleName() + " " + e.getMessage(), e);
    }
    return parse(file.toString(), new String(data, StandardCharsets.UTF_8));
  }

  /**
   * Parses a JWK Set ({@code {"keys":[…]}}) of public EC P-256 keys. {@code source} names the
   * input in error messages.
   */
  public static TenantKeys parse(String source, String json) throws TenantKeyException {
    Map<String, Object> top;
    try {
      top = JSONObjectUtils.parse(json);
    } catch (ParseException e) {
      throw new TenantKeyException("tenant key file " + source + " is not a JSON object: "
          + e.getMessage(), e);
    }
    if (!top.containsKey("keys")) {
      if (top.containsKey("d")) {
        throw privateKey(source, String.valueOf(top.get("kid")));
      }
      throw new TenantKeyException("tenant key file " + source + " has no \"keys\" member; "
          + "expected a JWK Set {\"keys\":[…]} of public EC P-256 keys");
    }
    List<Object> keys;
    try {
      keys = JSONObjectUtils.getJSONArray(top, "keys");
    } catch (ParseException e) {
      throw new TenantKeyException("tenant key file " + source + ": \"keys\" is not an array",
          e);
    }
    if (keys.isEmpty()) {
      throw new TenantKeyException("tenant key file " + source + " holds no keys; expected at "
          + "least one public EC P-256 key");
    }
    Map<String, ECKey> byKid = new LinkedHashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      ECKey key = checkedPublic(source, i, keys.get(i));
      if (byKid.putIfAbsent(key.getKeyID(), key) != null) {
        throw new TenantKeyException("tenant key file " + source + " has kid '"
            + key.getKeyID() + "' twice; expected distinct kids");
      }
    }
    return new TenantKeys(byKid);
  }

  /** The keys of {@code set}, checked as {@link #parse} checks a file. */
  public static TenantKeys of(JWKSet set) throws TenantKeyException {
    return parse("(in memory)", set.toString(true));
  }

  /** The pinned key ids, in file order. */
  public Set<String> kids() {
    return byKid.keySet();
  }

  /** The pinned keys, by kid (package-private: the authority builds its verifiers from them). */
  Map<String, ECKey> byKid() {
    return byKid;
  }

  @SuppressWarnings("unchecked")
  private static ECKey checkedPublic(String source, int i, Object entry)
      throws TenantKeyException {
    String where = "tenant key #" + i + " in " + source;
    if (!(entry instanceof Map)) {
      throw new TenantKeyException(where + " is not a JSON object");
    }
    Map<String, Object> json = (Map<String, Object>) entry;
    if (json.containsKey("d")) {
      throw privateKey(source, String.valueOf(json.get("kid")));
    }
    JWK jwk;
    try {
      jwk = JWK.parse(json);
    } catch (ParseException e) {
      throw new TenantKeyException(where + " is not a valid JWK: " + e.getMessage(), e);
    }
    if (!(jwk instanceof ECKey ec)) {
      throw new TenantKeyException(where + " has kty " + jwk.getKeyType()
          + "; expected EC (P-256)");
    }
    if (!Curve.P_256.equals(ec.getCurve())) {
      throw new TenantKeyException(where + " is on curve " + ec.getCurve()
          + "; expected P-256 (ES256)");
    }
    if (ec.getKeyID() == null || ec.getKeyID().isEmpty()) {
      throw new TenantKeyException(where + " has no kid; every pinned key needs one");
    }
    if (ec.getKeyUse() != null && !KeyUse.SIGNATURE.equals(ec.getKeyUse())) {
      throw new TenantKeyException(where + " (kid '" + ec.getKeyID() + "') has use '"
          + ec.getKeyUse().identifier() + "'; expected sig");
    }
    if (ec.getAlgorithm() != null && !JWSAlgorithm.ES256.equals(ec.getAlgorithm())) {
      throw new TenantKeyException(where + " (kid '" + ec.getKeyID() + "') has alg "
          + ec.getAlgorithm() + "; expected ES256");
    }
    return ec;
  }

  private static TenantKeyException privateKey(String source, String kid) {
    return new TenantKeyException("tenant key file " + source + " holds a private key (kid '"
        + kid + "'); pin only the public JWK Set (tenant-keys.json), and keep "
        + "tenant-private.jwk with the app backend");
  }
}
