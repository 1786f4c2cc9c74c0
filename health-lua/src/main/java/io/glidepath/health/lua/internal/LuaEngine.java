package io.glidepath.health.lua.internal;

import io.glidepath.core.health.HealthCheck;
import io.glidepath.core.health.HealthScript;
import io.glidepath.core.health.HealthScriptEngine;
import io.glidepath.core.health.HealthScriptException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.LongSupplier;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.compiler.LuaC;

/** The engine behind {@code LuaHealthScriptEngine}: compiles once, runs in per-thread sandboxes. */
public final class LuaEngine implements HealthScriptEngine {
  private final SandboxPool pool;

  public LuaEngine(
      long instructionLimit,
      int depthLimit,
      long memoryLimit,
      long timeLimitNanos,
      LongSupplier nanoTime) {
    this.pool =
        new SandboxPool(
            () -> new Budget(instructionLimit, depthLimit, memoryLimit, timeLimitNanos, nanoTime));
  }

  /** Whether the memory budget is enforced on this JVM. */
  public static boolean measuresMemory() {
    return Budget.measuresMemory();
  }

  @Override
  public HealthCheck compile(HealthScript script) {
    Prototype p;
    try {
      p =
          LuaC.instance.compile(
              new ByteArrayInputStream(script.source().getBytes(StandardCharsets.UTF_8)),
              script.key());
    } catch (LuaError e) {
      throw new HealthScriptException(
          script.key(), script.origin(), "Lua syntax error: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new HealthScriptException(script.key(), script.origin(), e.toString(), e);
    }
    return new LuaHealthCheck(script, p, pool);
  }
}
