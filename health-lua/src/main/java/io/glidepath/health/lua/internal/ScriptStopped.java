package io.glidepath.health.lua.internal;

/**
 * Stops a script that went past a sandbox limit. An {@link Error}, not an exception, so that the
 * script's own {@code pcall} cannot catch it (LuaJ's pcall catches exceptions only).
 */
final class ScriptStopped extends Error {
  private static final long serialVersionUID = 1L;

  ScriptStopped(String message) {
    super(message, null, false, false);
  }
}
