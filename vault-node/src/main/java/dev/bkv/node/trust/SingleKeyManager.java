package dev.bkv.node.trust;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/** Presents one key and certificate (a member's Raft credential) as client and as server. */
public final class SingleKeyManager extends X509ExtendedKeyManager {
  private final String alias;
  private final PrivateKey key;
  private final X509Certificate certificate;

  public SingleKeyManager(String alias, PrivateKey key, X509Certificate certificate) {
    this.alias = alias;
    this.key = key;
    this.certificate = certificate;
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return new String[] {alias};
  }

  @Override
  public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
    return ec(keyTypes);
  }

  @Override
  public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers,
      SSLEngine engine) {
    return ec(keyTypes);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return new String[] {alias};
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return ec(keyType);
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return ec(keyType);
  }

  @Override
  public X509Certificate[] getCertificateChain(String a) {
    return alias.equals(a) ? new X509Certificate[] {certificate} : null;
  }

  @Override
  public PrivateKey getPrivateKey(String a) {
    return alias.equals(a) ? key : null;
  }

  /** The alias if one of {@code keyTypes} is EC (the only kind of key a member has). */
  private String ec(String... keyTypes) {
    if (keyTypes == null) {
      return alias;
    }
    for (String t : keyTypes) {
      if (t == null || t.startsWith("EC")) {
        return alias;
      }
    }
    return null;
  }
}
