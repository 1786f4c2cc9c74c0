package io.glidepath.cli;

/** Implemented by a command whose error exit code is not the default 1. */
public interface ExitCodes {
  /** The exit code when the command fails with a Glidepath error (bad input, failed render). */
  default int onError() {
    return 1;
  }
}
