package io.glidepath.helm.internal;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The TLS settings of one repository: the system's trusted CAs plus the repository's own ({@code
 * argocd-tls-certs-cm}), or no verification at all ({@code insecure}), and a client certificate for
 * mutual TLS.
 */
public final class Tls {
  private Tls() {}

  /**
   * An SSL context trusting the system's CAs and {@code extraCas}, or everything when {@code
   * insecure}, presenting {@code clientCert}/{@code clientKey} when given.
   */
  public static SSLContext context(
      Optional<String> extraCas,
      boolean insecure,
      Optional<String> clientCert,
      Optional<String> clientKey)
      throws GeneralSecurityException {
    TrustManager trust;
    if (insecure) {
      trust = new TrustAll();
    } else {
      List<X509ExtendedTrustManager> managers = new ArrayList<>();
      managers.add(trustManager(null));
      if (extraCas.isPresent()) {
        KeyStore ks = emptyStore();
        int i = 0;
        for (X509Certificate c :
            Pem.certificates(extraCas.get(), "the repository's CA certificates")) {
          ks.setCertificateEntry("ca-" + i++, c);
        }
        managers.add(trustManager(ks));
      }
      trust = managers.size() == 1 ? managers.get(0) : new AnyOf(managers);
    }
    KeyManager[] keys = null;
    if (clientCert.isPresent() && clientKey.isPresent()) {
      List<X509Certificate> chain = Pem.certificates(clientCert.get(), "tlsClientCertData");
      PrivateKey key = Pem.privateKey(clientKey.get(), "tlsClientCertKey");
      KeyStore ks = emptyStore();
      char[] pass = new char[0];
      ks.setKeyEntry("client", key, pass, chain.toArray(new X509Certificate[0]));
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, pass);
      keys = kmf.getKeyManagers();
    }
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(keys, new TrustManager[] {trust}, null);
    return ctx;
  }

  private static KeyStore emptyStore() throws GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try {
      ks.load(null, null);
    } catch (java.io.IOException e) {
      throw new GeneralSecurityException(e);
    }
    return ks;
  }

  private static X509ExtendedTrustManager trustManager(KeyStore ks)
      throws GeneralSecurityException {
    TrustManagerFactory f =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    f.init(ks);
    for (TrustManager t : f.getTrustManagers()) {
      if (t instanceof X509ExtendedTrustManager x) {
        return x;
      }
    }
    throw new GeneralSecurityException("no X.509 trust manager");
  }

  /** Trusts a server when any of its managers does (each checks the host name too). */
  private static final class AnyOf extends X509ExtendedTrustManager {
    private final List<X509ExtendedTrustManager> managers;

    AnyOf(List<X509ExtendedTrustManager> managers) {
      this.managers = managers;
    }

    private interface Check {
      void run(X509ExtendedTrustManager m) throws CertificateException;
    }

    private void any(Check check) throws CertificateException {
      CertificateException first = null;
      for (X509ExtendedTrustManager m : managers) {
        try {
          check.run(m);
          return;
        } catch (CertificateException e) {
          first = first == null ? e : first;
        }
      }
      throw first;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String auth, SSLEngine engine)
        throws CertificateException {
      any(m -> m.checkServerTrusted(chain, auth, engine));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String auth, Socket socket)
        throws CertificateException {
      any(m -> m.checkServerTrusted(chain, auth, socket));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String auth)
        throws CertificateException {
      any(m -> m.checkServerTrusted(chain, auth));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String auth, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("a repository client does not accept clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String auth, Socket socket)
        throws CertificateException {
      throw new CertificateException("a repository client does not accept clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String auth)
        throws CertificateException {
      throw new CertificateException("a repository client does not accept clients");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      List<X509Certificate> all = new ArrayList<>();
      for (X509ExtendedTrustManager m : managers) {
        all.addAll(List.of(m.getAcceptedIssuers()));
      }
      return all.toArray(new X509Certificate[0]);
    }
  }

  /** {@code insecure: "true"}: no certificate or host name check, as Argo CD then does. */
  private static final class TrustAll extends X509ExtendedTrustManager {
    @Override
    public void checkServerTrusted(X509Certificate[] chain, String auth, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String auth, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String auth) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String auth, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("a repository client does not accept clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String auth, Socket socket)
        throws CertificateException {
      throw new CertificateException("a repository client does not accept clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String auth)
        throws CertificateException {
      throw new CertificateException("a repository client does not accept clients");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
