/**
 * Glidepath core: the resource model, kubectl-exact YAML, Helm values, the rendering SPI with the
 * plain-directory renderer and path safety, drift detection, health and sync planning.
 *
 * <p>Knows nothing of Kubernetes clients, Git or HTTP.
 */
module io.glidepath.core {
  requires transitive tools.jackson.databind;
  requires org.snakeyaml.engine;
  requires re2j;
  requires org.slf4j;

  exports io.glidepath.core;
  exports io.glidepath.core.resource;
  exports io.glidepath.core.yaml;
  exports io.glidepath.core.values;
  exports io.glidepath.core.time;
  exports io.glidepath.core.render;
  exports io.glidepath.core.project;
  exports io.glidepath.core.diff;
  exports io.glidepath.core.app;
  exports io.glidepath.core.sync;
  exports io.glidepath.core.health;
  exports io.glidepath.core.argocd;
  exports io.glidepath.core.repo;

  uses io.glidepath.core.render.RendererProvider;
  uses io.glidepath.core.health.HealthScriptEngine;
  uses io.glidepath.core.health.HealthCheckProvider;
}
