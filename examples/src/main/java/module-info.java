/** The seed's trade-service scenario, runnable: {@link io.glidepath.examples.TradeServiceDemo}. */
module io.glidepath.examples {
  requires transitive io.glidepath.core;
  requires io.glidepath.helm;
  requires jdk.httpserver;
  requires java.net.http;

  exports io.glidepath.examples;
  exports io.glidepath.examples.traffic;
}
