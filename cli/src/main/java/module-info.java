/** The {@code glidepath} command line. An application: it exports nothing. */
module io.glidepath.cli {
  requires io.glidepath.core;
  requires io.glidepath.helm;
  requires io.glidepath.examples;
  requires info.picocli;

  opens io.glidepath.cli to
      info.picocli;
}
