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
  // the closure running at each depth, to size a CONCAT before it runs
  private final org.luaj.vm2.Prototype[] prototypes;
  private final org.luaj.vm2.LuaValue[][] stacks;
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
    this.prototypes = new org.luaj.vm2.Prototype[depthLimit + 2];
    this.stacks = new org.luaj.vm2.LuaValue[depthLimit + 2][];
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
          "memory budget of "
              + memoryLimit
              + " bytes exceeded (the script asked for "
              + bytes
              + " more)");
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
    org.luaj.vm2.Prototype p = depth >= 0 && depth < prototypes.length ? prototypes[depth] : null;
    if (p != null && pc < p.code.length) {
      int i = p.code[pc];
      if (org.luaj.vm2.Lua.GET_OPCODE(i) == org.luaj.vm2.Lua.OP_CONCAT) {
        // one concatenation can double the memory a loop had: size it before it runs
        org.luaj.vm2.LuaValue[] stack = stacks[depth];
        long size = 0;
        for (int r = org.luaj.vm2.Lua.GETARG_B(i); r <= org.luaj.vm2.Lua.GETARG_C(i); r++) {
          if (r < stack.length
              && stack[r] != null
              && stack[r].type() == org.luaj.vm2.LuaValue.TSTRING) {
            size += stack[r].rawlen();
          }
        }
        if (size > 4096) {
          reserve(size);
        }
      }
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
    prototypes[depth] = null;
  }

  @Override
  public void onCall(LuaClosure c, Varargs varargs, org.luaj.vm2.LuaValue[] stack) {
    enter();
    prototypes[depth] = c.p;
    stacks[depth] = stack;
  }

  private void enter() {
    if (++depth > depthLimit) {
      depth--;
      throw new ScriptStopped(
          "call depth limit of " + depthLimit + " exceeded (endless recursion?)");
    }
  }

  @Override
  public void onReturn() {
    if (depth > 0 && depth < prototypes.length) {
      prototypes[depth] = null;
      stacks[depth] = null;
    }
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
