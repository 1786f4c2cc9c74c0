package io.glidepath.health.lua;

import io.glidepath.core.health.HealthCheck;
import io.glidepath.core.health.HealthScript;
import io.glidepath.core.health.HealthScriptEngine;
import io.glidepath.health.lua.internal.LuaEngine;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Runs Argo CD's Lua health checks ({@code resource.customizations.health.*} of an {@code
 * argocd-cm}) unchanged: the script reads the live object as the global {@code obj} (numbers as Lua
 * numbers, JSON nulls as {@code nil}) and returns {@code {status = "...", message = "..."}}. The
 * libraries are the ones Argo CD opens (see {@code docs/health.md}), on LuaJ 3.0.1.
 *
 * <p>On the class path, {@link io.glidepath.core.health.HealthAssessor} finds this engine through
 * {@link java.util.ServiceLoader} with the default limits; build one to change them:
 *
 * <pre>{@code
 * HealthAssessor assessor = HealthAssessor.builder()
 *     .argoCdSettings(ArgoCdSettings.read(Path.of("argocd-cm.yaml")))
 *     .scriptEngine(LuaHealthScriptEngine.builder().instructionLimit(200_000).build())
 *     .build();
 * }</pre>
 *
 * <p>Each run is sandboxed: a script that runs more than {@link #DEFAULT_INSTRUCTION_LIMIT} Lua
 * instructions, calls deeper than {@link #DEFAULT_CALL_DEPTH_LIMIT}, allocates more than {@link
 * #DEFAULT_MEMORY_LIMIT_BYTES} bytes or runs longer than {@link #DEFAULT_TIME_LIMIT} is stopped,
 * and the resource's health is Unknown with the reason as message; the caller keeps running. A
 * syntax error fails {@link #compile} with a {@link io.glidepath.core.health.HealthScriptException}
 * naming the script's key.
 *
 * <p>Thread-safe: scripts run in a Lua state per thread, reset after each run.
 */
public final class LuaHealthScriptEngine implements HealthScriptEngine {
  /** Lua VM instructions one run may execute. */
  public static final long DEFAULT_INSTRUCTION_LIMIT = 1_000_000;

  /** Nested Lua calls one run may make. */
  public static final int DEFAULT_CALL_DEPTH_LIMIT = 200;

  /** Bytes one run may allocate (measured per thread; HotSpot JVMs). */
  public static final long DEFAULT_MEMORY_LIMIT_BYTES = 64L * 1024 * 1024;

  /** Wall time one run may take (Argo CD gives a script one second). */
  public static final Duration DEFAULT_TIME_LIMIT = Duration.ofSeconds(1);

  private final LuaEngine engine;

  /** The engine with the default limits (what {@link java.util.ServiceLoader} creates). */
  public LuaHealthScriptEngine() {
    this(builder());
  }

  private LuaHealthScriptEngine(Builder b) {
    this.engine =
        new LuaEngine(
            b.instructionLimit, b.callDepthLimit, b.memoryLimit, b.timeLimit.toNanos(), b.nanoTime);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public HealthCheck compile(HealthScript script) {
    return engine.compile(Objects.requireNonNull(script, "script"));
  }

  /** Whether this JVM lets the engine enforce the memory limit (HotSpot does). */
  public static boolean enforcesMemoryLimit() {
    return LuaEngine.measuresMemory();
  }

  /** Limits of the sandbox; each setter validates at once. Not thread-safe. */
  public static final class Builder {
    private long instructionLimit = DEFAULT_INSTRUCTION_LIMIT;
    private int callDepthLimit = DEFAULT_CALL_DEPTH_LIMIT;
    private long memoryLimit = DEFAULT_MEMORY_LIMIT_BYTES;
    private Duration timeLimit = DEFAULT_TIME_LIMIT;
    private LongSupplier nanoTime = System::nanoTime;

    private Builder() {}

    public Builder instructionLimit(long limit) {
      if (limit < 1) {
        throw new IllegalArgumentException("instructionLimit must be >= 1, but was " + limit);
      }
      this.instructionLimit = limit;
      return this;
    }

    public Builder callDepthLimit(int limit) {
      if (limit < 1) {
        throw new IllegalArgumentException("callDepthLimit must be >= 1, but was " + limit);
      }
      this.callDepthLimit = limit;
      return this;
    }

    public Builder memoryLimitBytes(long limit) {
      if (limit < 1024) {
        throw new IllegalArgumentException("memoryLimitBytes must be >= 1024, but was " + limit);
      }
      this.memoryLimit = limit;
      return this;
    }

    public Builder timeLimit(Duration limit) {
      Objects.requireNonNull(limit, "timeLimit");
      if (limit.isNegative() || limit.isZero()) {
        throw new IllegalArgumentException("timeLimit must be positive, but was " + limit);
      }
      this.timeLimit = limit;
      return this;
    }

    /**
     * The clock the time limit is measured on (tests drive it by hand); default {@code
     * System::nanoTime}.
     */
    public Builder nanoTime(LongSupplier nanoTime) {
      this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
      return this;
    }

    public LuaHealthScriptEngine build() {
      return new LuaHealthScriptEngine(this);
    }
  }
}
