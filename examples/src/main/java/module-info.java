/** The seed's trade-service scenario, runnable: {@link io.glidepath.examples.TradeServiceDemo}. */
module io.glidepath.examples {
  requires transitive io.glidepath.core;
  requires io.glidepath.helm;

  exports io.glidepath.examples;
}
