/** Glidepath testkit: real components, started on 127.0.0.1, for users' and our own tests. */
module io.glidepath.testkit {
  requires transitive io.glidepath.core;
  requires jdk.httpserver;

  exports io.glidepath.testkit;
  exports io.glidepath.testkit.git;
}
