package dev.bkv.node.testing;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/** Delegates to a trust manager and records the message of every refusal, for assertions. */
public final class RecordingTrustManager extends X509ExtendedTrustManager {
  private final X509ExtendedTrustManager delegate;
  private final List<String> refusals;

  public RecordingTrustManager(X509ExtendedTrustManager delegate, List<String> refusals) {
    this.delegate = delegate;
    this.refusals = refusals;
  }

  private interface Check {
    void run() throws CertificateException;
  }

  private void record(Check c) throws CertificateException {
    try {
      c.run();
    } catch (CertificateException e) {
      refusals.add(e.getMessage());
      throw e;
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] c, String a) throws CertificateException {
    record(() -> delegate.checkClientTrusted(c, a));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] c, String a) throws CertificateException {
    record(() -> delegate.checkServerTrusted(c, a));
  }

  @Override
  public void checkClientTrusted(X509Certificate[] c, String a, Socket s)
      throws CertificateException {
    record(() -> delegate.checkClientTrusted(c, a, s));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] c, String a, Socket s)
      throws CertificateException {
    record(() -> delegate.checkServerTrusted(c, a, s));
  }

  @Override
  public void checkClientTrusted(X509Certificate[] c, String a, SSLEngine e)
      throws CertificateException {
    record(() -> delegate.checkClientTrusted(c, a, e));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] c, String a, SSLEngine e)
      throws CertificateException {
    record(() -> delegate.checkServerTrusted(c, a, e));
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return delegate.getAcceptedIssuers();
  }
}
