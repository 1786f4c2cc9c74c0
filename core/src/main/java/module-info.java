/** Glidepath core: resource model, YAML, values, rendering SPI, drift, health and sync planning. */
module io.glidepath.core {
  requires transitive tools.jackson.databind;
  requires org.snakeyaml.engine;
  requires org.slf4j;

  exports io.glidepath.core;
}
