package io.glidepath.testkit.tls;

import io.glidepath.testkit.internal.tls.Der;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.ZonedDateTime;
import java.util.Base64;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away certificate authority for tests, with a server certificate for {@code 127.0.0.1} and
 * {@code localhost} and a client certificate, all EC P-256, valid for a day. Use it to serve TLS
 * from a test server ({@link io.glidepath.testkit.helm.ChartRepositoryServer}) and to hand the CA
 * and the client certificate to the code under test as PEM text, the way repositories store them.
 *
 * <pre>{@code
 * TestCertificates tls = TestCertificates.create();
 * ChartRepositoryServer repo = ChartRepositoryServer.builder().tls(tls).requireClientCertificate().start();
 * String ca = tls.caPem();                // trust this
 * String cert = tls.clientCertificatePem(); String key = tls.clientKeyPem();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class TestCertificates {
  private final X509Certificate ca;
  private final KeyPair caKeys;
  private final X509Certificate server;
  private final KeyPair serverKeys;
  private final X509Certificate client;
  private final KeyPair clientKeys;

  private TestCertificates(
      X509Certificate ca,
      KeyPair caKeys,
      X509Certificate server,
      KeyPair serverKeys,
      X509Certificate client,
      KeyPair clientKeys) {
    this.ca = ca;
    this.caKeys = caKeys;
    this.server = server;
    this.serverKeys = serverKeys;
    this.client = client;
    this.clientKeys = clientKeys;
  }

  /** A new CA with its server and client certificates. */
  public static TestCertificates create() {
    try {
      KeyPair caKeys = keys();
      X509Certificate ca =
          sign(
              "Glidepath Test CA",
              "Glidepath Test CA",
              caKeys,
              caKeys.getPrivate(),
              true,
              null,
              false);
      KeyPair serverKeys = keys();
      X509Certificate server =
          sign(
              "127.0.0.1",
              "Glidepath Test CA",
              serverKeys,
              caKeys.getPrivate(),
              false,
              "server",
              true);
      KeyPair clientKeys = keys();
      X509Certificate client =
          sign(
              "glidepath-test-client",
              "Glidepath Test CA",
              clientKeys,
              caKeys.getPrivate(),
              false,
              "client",
              false);
      return new TestCertificates(ca, caKeys, server, serverKeys, client, clientKeys);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot create test certificates: " + e, e);
    }
  }

  private static KeyPair keys() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
    return g.generateKeyPair();
  }

  private static X509Certificate sign(
      String subject,
      String issuer,
      KeyPair subjectKeys,
      PrivateKey issuerKey,
      boolean isCa,
      String usage,
      boolean serverNames)
      throws GeneralSecurityException {
    byte[] alg = Der.seq(Der.oid("1.2.840.10045.4.3.2"));
    ZonedDateTime now = ZonedDateTime.now();
    byte[] basic =
        Der.seq(
            Der.oid("2.5.29.19"),
            Der.bool(true),
            Der.octets(isCa ? Der.seq(Der.bool(true)) : Der.seq()));
    // keyUsage: CA keyCertSign+cRLSign (bits 5,6), leaf digitalSignature (bit 0)
    byte[] keyUsageBits = isCa ? new byte[] {0x01, (byte) 0x06} : new byte[] {0x07, (byte) 0x80};
    byte[] keyUsage =
        Der.seq(Der.oid("2.5.29.15"), Der.bool(true), Der.octets(Der.tlv(0x03, keyUsageBits)));
    java.util.List<byte[]> ext = new java.util.ArrayList<>();
    ext.add(basic);
    ext.add(keyUsage);
    if (usage != null) {
      String eku = usage.equals("server") ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2";
      ext.add(Der.seq(Der.oid("2.5.29.37"), Der.octets(Der.seq(Der.oid(eku)))));
    }
    if (serverNames) {
      byte[] dns = Der.tlv(0x82, "localhost".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      byte[] ip = Der.tlv(0x87, new byte[] {127, 0, 0, 1});
      ext.add(Der.seq(Der.oid("2.5.29.17"), Der.octets(Der.seq(dns, ip))));
    }
    byte[] tbs =
        Der.seq(
            Der.tlv(0xa0, Der.integer(BigInteger.TWO)),
            Der.integer(new BigInteger(64, new SecureRandom()).abs().add(BigInteger.ONE)),
            alg,
            Der.name(issuer),
            Der.seq(Der.utcTime(now.minusHours(1)), Der.utcTime(now.plusDays(1))),
            Der.name(subject),
            subjectKeys.getPublic().getEncoded(),
            Der.tlv(0xa3, Der.seq(ext.toArray(new byte[0][]))));
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(issuerKey);
    s.update(tbs);
    byte[] cert = Der.seq(tbs, alg, Der.bits(s.sign()));
    return (X509Certificate)
        CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(cert));
  }

  /** The CA certificate, PEM. */
  public String caPem() {
    return pem("CERTIFICATE", encoded(ca));
  }

  /** The server certificate (for 127.0.0.1 and localhost), PEM. */
  public String serverCertificatePem() {
    return pem("CERTIFICATE", encoded(server));
  }

  /** The client certificate, PEM. */
  public String clientCertificatePem() {
    return pem("CERTIFICATE", encoded(client));
  }

  /** The client certificate's private key, PKCS#8 PEM. */
  public String clientKeyPem() {
    return pem("PRIVATE KEY", clientKeys.getPrivate().getEncoded());
  }

  /** The CA certificate. */
  public X509Certificate ca() {
    return ca;
  }

  /** The CA's private key (tests sign tokens with it, e.g. a registry's bearer tokens). */
  public PrivateKey caKey() {
    return caKeys.getPrivate();
  }

  /**
   * An SSL context for a server presenting the server certificate and trusting the CA for client
   * certificates.
   */
  public SSLContext serverContext() {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry(
          "server", serverKeys.getPrivate(), new char[0], new X509Certificate[] {server, ca});
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, new char[0]);
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", ca);
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot build the test server's TLS context: " + e, e);
    }
  }

  private static byte[] encoded(X509Certificate c) {
    try {
      return c.getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  @Override
  public String toString() {
    return "TestCertificates[" + ca.getSubjectX500Principal().getName() + "]";
  }
}
