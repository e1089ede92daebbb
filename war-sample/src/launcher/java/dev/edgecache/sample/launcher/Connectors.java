package dev.edgecache.sample.launcher;

import java.io.File;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The edge's listening ports: HTTP/1.1 on {@code --port}, with cleartext HTTP/2 (h2c, by prior
 * knowledge or by {@code Upgrade}) when {@code --h2c} asks for it; and, given a key store, TLS on
 * {@code --tls-port} with HTTP/2 and HTTP/1.1 chosen by ALPN (RFC 7301), HTTP/2 first. h2c is
 * off by default, as in nginx and Varnish: a client that offers the upgrade (Java's own
 * {@code HttpClient} does, by default) would otherwise be moved to HTTP/2, where a {@code Host}
 * that differs from the {@code :authority} is a malformed request (RFC 9113 §8.3.1) that
 * HTTP/1.1 accepted. Every protocol shares one
 * {@link HttpConfiguration}, so that the limits on heads and the fields the edge sends are the
 * same whichever a client speaks.
 */
final class Connectors {
  private Connectors() {}

  /** The configuration every connector's protocols share: the one of {@code --port}. */
  static HttpConfiguration configuration() {
    return new HttpConfiguration();
  }

  /** The cleartext connector: HTTP/1.1, and h2c if asked for. */
  static ServerConnector cleartext(Server server, HttpConfiguration http, boolean h2c) {
    return h2c ? new ServerConnector(server, new HttpConnectionFactory(http), new HTTP2CServerConnectionFactory(http))
        : new ServerConnector(server, new HttpConnectionFactory(http));
  }

  /**
   * The TLS connector, with ALPN: h2, then http/1.1 for clients that offer no protocol or only
   * HTTP/1.1.
   *
   * @param keyStore a PKCS#12 or JKS key store holding the edge's key and certificate
   * @param password the key store's password
   * @throws IllegalArgumentException if the key store is not a readable file, or does not open
   *     with the password
   */
  static ServerConnector tls(Server server, HttpConfiguration http, File keyStore, String password) {
    if (!keyStore.isFile() || !keyStore.canRead()) {
      throw new IllegalArgumentException("--key-store " + keyStore + " is not a readable file: give a PKCS#12 "
          + "key store (keytool -genkeypair -storetype PKCS12 ...)");
    }
    try {
      java.security.KeyStore.getInstance(keyStore, password.toCharArray());
    } catch (java.io.IOException | java.security.GeneralSecurityException e) {
      throw new IllegalArgumentException("--key-store " + keyStore + " does not open with the password given ("
          + e.getMessage() + "): check --key-store-password-file or EDGECACHE_KEY_STORE_PASSWORD");
    }
    HttpConfiguration https = new HttpConfiguration(http);
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    secure.setSniHostCheck(false); // an edge is reached by many names; the certificate is the operator's
    https.addCustomizer(secure);
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStorePath(keyStore.getAbsolutePath());
    ssl.setKeyStorePassword(password);
    ssl.setCipherComparator(HTTP2Cipher.COMPARATOR); // RFC 9113 §9.2.2: HTTP/2's own cipher list first
    HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(https);
    HttpConnectionFactory http11 = new HttpConnectionFactory(https);
    ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
    alpn.setDefaultProtocol(http11.getProtocol());
    ConnectionFactory tls = new SslConnectionFactory(ssl, alpn.getProtocol());
    return new ServerConnector(server, tls, alpn, h2, http11);
  }
}
