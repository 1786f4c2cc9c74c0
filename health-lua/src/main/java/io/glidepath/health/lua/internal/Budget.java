package io.glidepath.health.lua.internal;

import java.lang.management.ManagementFactory;
import java.util.function.LongSupplier;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.DebugLib;

/**
 * The sandbox's limits, enforced from LuaJ's debug hooks (installed as the globals' debug library
 * but never exposed to scripts): instructions executed, call depth, bytes allocated by the
 * evaluating thread, and wall time. One per sandbox, so per thread; reset before each run.
 */
final class Budget extends DebugLib {
  private static final int CHECK_EVERY = 1024;
  private static final com.sun.management.ThreadMXBean THREADS = threads();

  private final long instructionLimit;
  private final int depthLimit;
  private final long memoryLimit;
  private final long timeLimitNanos;
  private final LongSupplier nanoTime;
  private long instructions;
  private int depth;
  private long allocatedAtStart;
  private long startNanos;

  Budget(
      long instructionLimit,
      int depthLimit,
      long memoryLimit,
      long timeLimitNanos,
      LongSupplier nanoTime) {
    this.instructionLimit = instructionLimit;
    this.depthLimit = depthLimit;
    this.memoryLimit = memoryLimit;
    this.timeLimitNanos = timeLimitNanos;
    this.nanoTime = nanoTime;
  }

  private static com.sun.management.ThreadMXBean threads() {
    var bean = ManagementFactory.getThreadMXBean();
    if (bean instanceof com.sun.management.ThreadMXBean sun
        && sun.isThreadAllocatedMemorySupported()) {
      if (!sun.isThreadAllocatedMemoryEnabled()) {
        sun.setThreadAllocatedMemoryEnabled(true);
      }
      return sun;
    }
    return null;
  }

  /** Whether this JVM can measure a thread's allocations (HotSpot can). */
  static boolean measuresMemory() {
    return THREADS != null;
  }

  void start() {
    instructions = 0;
    depth = 0;
    startNanos = nanoTime.getAsLong();
    allocatedAtStart = THREADS == null ? 0 : THREADS.getCurrentThreadAllocatedBytes();
  }

  /** Checks the memory budget for an allocation a library function is about to make. */
  void reserve(long bytes) {
    if (THREADS != null && allocated() + bytes > memoryLimit) {
      throw new ScriptStopped(
          "memory budget of " + memoryLimit + " bytes exceeded (the script asked for " + bytes + " more)");
    }
  }

  private long allocated() {
    return THREADS.getCurrentThreadAllocatedBytes() - allocatedAtStart;
  }

  @Override
  public void onInstruction(int pc, Varargs v, int top) {
    if (++instructions > instructionLimit) {
      throw new ScriptStopped("instruction budget of " + instructionLimit + " exceeded");
    }
    if ((instructions & (CHECK_EVERY - 1)) == 0) {
      if (THREADS != null && allocated() > memoryLimit) {
        throw new ScriptStopped("memory budget of " + memoryLimit + " bytes exceeded");
      }
      if (nanoTime.getAsLong() - startNanos > timeLimitNanos) {
        throw new ScriptStopped("time budget of " + timeLimitNanos / 1_000_000 + " ms exceeded");
      }
    }
  }

  @Override
  public void onCall(LuaFunction f) {
    enter();
  }

  @Override
  public void onCall(LuaClosure c, Varargs varargs, org.luaj.vm2.LuaValue[] stack) {
    enter();
  }

  private void enter() {
    if (++depth > depthLimit) {
      throw new ScriptStopped("call depth limit of " + depthLimit + " exceeded (endless recursion?)");
    }
  }

  @Override
  public void onReturn() {
    depth--;
  }

  /** No call stack is kept (the hooks above replace LuaJ's), so errors carry no traceback. */
  @Override
  public String traceback(int level) {
    return "";
  }

  long instructions() {
    return instructions;
  }
}
