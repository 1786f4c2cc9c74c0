/**
 * Glidepath Helm: renders Helm charts with the real Helm engine (helm-java's embedded Helm, no
 * binary, offline). Registers itself with {@code ManifestRenderer.detect} for directories holding a
 * {@code Chart.yaml}.
 */
module io.glidepath.helm {
  requires transitive io.glidepath.core;
  requires helm.java;
  requires lib.api;
  requires com.sun.jna;
  requires org.slf4j;
  requires java.net.http;

  exports io.glidepath.helm;
  exports io.glidepath.helm.repo;

  uses com.marcnuri.helm.jni.NativeLibrary;

  provides io.glidepath.core.render.RendererProvider with
      io.glidepath.helm.HelmRendererProvider;
}
